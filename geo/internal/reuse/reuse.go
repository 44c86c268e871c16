// Package reuse makes slices in the storage of earlier ones: the working
// memory that planning keeps from one community for the next.
package reuse

// Grow returns s emptied, with room for n elements: s's array when it is
// large enough, else a new one an eighth larger than asked, so that the
// next, about as large, request fits.
func Grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, 0, n+n/8)
	}
	return s[:0]
}

// Resize returns s with length n, in s's array when it is large enough
// (the contents are then not cleared), else in a new one as Grow makes.
func Resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, n+n/8)
	}
	return s[:n]
}
