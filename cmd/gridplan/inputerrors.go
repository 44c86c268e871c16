package main

import (
	"encoding/json"
	"errors"
	"io"

	"gridplan/geo"
)

// An inputError is one unusable feature (or file) in the --json listing of
// a refused input: every one of them, where stderr shows the first 20.
type inputError struct {
	File    string `json:"file"`
	Feature *int   `json:"feature,omitempty"`
	ID      string `json:"id,omitempty"`
	Problem string `json:"problem"`
}

// inputErrors returns the features of err, a refused input, one entry
// each; an error that names no feature is one entry for its file, or for
// nothing at all.
func inputErrors(err error) []inputError {
	var fes []*geo.FeatureError
	var le *geo.LayerError
	var fe *geo.FeatureError
	var file *geo.FileError
	switch {
	case errors.As(err, &le):
		fes = le.Features
	case errors.As(err, &fe):
		fes = []*geo.FeatureError{fe}
	case errors.As(err, &file):
		return []inputError{{File: file.File, Problem: file.Err.Error()}}
	default:
		return []inputError{{Problem: err.Error()}}
	}
	out := make([]inputError, len(fes))
	for k, fe := range fes {
		idx := fe.Index
		out[k] = inputError{File: fe.File, Feature: &idx, ID: fe.ID, Problem: fe.Err.Error()}
	}
	return out
}

// refused returns err, the reason an input was refused, after writing
// every unusable feature it names to w as JSON when asJSON is set (--json:
// stdout then carries the whole list; stderr the first 20).
func refused(w io.Writer, asJSON bool, err error) error {
	if err != nil && asJSON {
		data, _ := json.MarshalIndent(map[string]any{"errors": inputErrors(err)}, "", "  ")
		writeJSON(w, append(data, '\n'))
	}
	return err
}
