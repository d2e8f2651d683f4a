//go:build race

package sample_test

// raceEnabled is set under the race detector, which slows the generation
// property tests about tenfold without looking at anything they share:
// they then use fewer seeds on the largest document.
const raceEnabled = true
