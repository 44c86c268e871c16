package synth_test

import (
	"fmt"

	"gridplan/geo/synth"
)

// A small city: the seed is fixed so that the output is stable.
func ExampleGenerate() {
	c, err := synth.Generate(synth.Options{Buildings: 3000, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	kinds := map[string]int{}
	households := 0
	for _, f := range c.Buildings.Features {
		k, _ := f.Properties["kind"].(string)
		if k == "" {
			k = "residential"
		}
		kinds[k]++
		households += f.Properties["households"].(int)
	}
	fmt.Println(len(c.Communities.Features), "communities,", len(c.Buildings.Features), "buildings,", households, "households")
	fmt.Println(kinds)
	fmt.Println(c.Buildings.Features[0].Properties)
	// Output:
	// 20 communities, 3000 buildings, 46151 households
	// map[bungalow:1674 institution:80 residential:791 shop:455]
	// map[community:C001 compound:C001-Q01 households:32 id:B000001]
}
