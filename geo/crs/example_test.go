package crs_test

import (
	"fmt"

	"github.com/paulmach/orb"

	"gridplan/geo/crs"
)

func ExampleParse() {
	s, err := crs.Parse("EPSG:4527")
	if err != nil {
		panic(err)
	}
	xy := s.FromLonLat(orb.Point{117.42, 39.9})
	fmt.Printf("%s (%s): %.3f\n", s, s.Name(), xy)
	fmt.Printf("%.9f\n", s.ToLonLat(xy))
	// Output:
	// EPSG:4527 (CGCS2000 / 3-degree Gauss-Kruger zone 39): [39535917.741 4418510.108]
	// [117.420000000 39.900000000]
}

func ExampleFromWKT() {
	prj := `PROJCS["CGCS2000_3_Degree_GK_CM_117E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",` +
		`DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],` +
		`UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],` +
		`PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],` +
		`PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`
	s, err := crs.FromWKT(prj)
	fmt.Println(s, err)
	// Output:
	// EPSG:4548 <nil>
}

func ExampleSystem_Check() {
	gk, _ := crs.Parse("EPSG:4527")
	layer := orb.Bound{Min: orb.Point{116.3, 39.9}, Max: orb.Point{116.5, 40}}
	fmt.Println(gk.Check(layer))
	// Output:
	// crs: coordinates do not fit the coordinate system: EPSG:4527 expects eastings 39,100,000…39,900,000 m (zone 39 prefix) and northings 0…10,000,000 m; the layer's extent is 116.3…116.5, 39.9…40, which looks like longitude/latitude (EPSG:4326 or EPSG:4490)
}

func ExampleSuggest() {
	layer := orb.Bound{Min: orb.Point{39450000, 4420000}, Max: orb.Point{39470000, 4430000}}
	for _, s := range crs.Suggest(layer) {
		fmt.Printf("%s (%s)\n", s, s.Name())
	}
	// Output:
	// EPSG:4527 (CGCS2000 / 3-degree Gauss-Kruger zone 39)
}

func ExampleSystem_ToLonLat() {
	// A point read off Amap (GCJ-02) near Tiananmen, in WGS 84.
	fmt.Printf("%.6f\n", crs.GCJ02.ToLonLat(orb.Point{116.397455, 39.909187}))
	// Output:
	// [116.391214 39.907786]
}
