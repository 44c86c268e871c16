// Package robust holds the geometric predicates whose sign decides
// topology (which side of a wall a point lies, whether two segments meet,
// whether a point is inside a circumcircle) and the arithmetic they share.
// Each predicate first evaluates its determinant in float64 and trusts the
// sign when the magnitude exceeds a bound on the rounding error, named and
// derived at the top of its file; otherwise it recomputes exactly (Shewchuk,
// "Adaptive Precision Floating-Point Arithmetic and Fast Robust Geometric
// Predicates", 1997; S2's RobustSign has the same tiers). Coordinates must be
// finite.
package robust
