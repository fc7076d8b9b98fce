// SPDX-License-Identifier: Apache-2.0
// numgen.go: float64 values and how Go's encoding/json prints each (json.Marshal of the value
// in an interface{}, as a map[string]interface{} holds it), one "<bits in hex> <text>" line
// per value, for test_numbers.sh to compare with gojson_print(). The values: every power of
// two and of ten with neighbours, the 1e-6 and 1e21 layout switches, integers of every bit
// length, short decimals, and random bit patterns (fixed seed).
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"math/rand"
	"os"
)

var out = bufio.NewWriterSize(os.Stdout, 1<<20)

func emit(f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return
	}
	b, err := json.Marshal(interface{}(f))
	if err != nil {
		panic(err)
	}
	fmt.Fprintf(out, "%016x %s\n", math.Float64bits(f), b)
}

// around: f and -f with k neighbours on each side.
func around(f float64, k int) {
	for _, s := range []float64{f, -f} {
		emit(s)
		up, down := s, s
		for i := 0; i < k; i++ {
			up = math.Nextafter(up, math.Inf(1))
			down = math.Nextafter(down, math.Inf(-1))
			emit(up)
			emit(down)
		}
	}
}

func main() {
	defer out.Flush()
	r := rand.New(rand.NewSource(12))
	for _, f := range []float64{0, math.SmallestNonzeroFloat64, 0x1p-1022, math.MaxFloat64, 1,
		0.1, 0.5, 1.5e-7, 123.456, 1e-5, 9.999999e-7, 1e-6, 1e21, 1e20, 0x1p53} {
		around(f, 3)
	}
	for e := -1074; e <= 1023; e++ {
		around(math.Ldexp(1, e), 2)
	}
	for e := -323; e <= 308; e++ {
		around(math.Pow(10, float64(e)), 2)
	}
	for e := -330; e <= 310; e++ {
		for m := 1; m < 1000; m += 7 {
			emit(float64(m) * math.Pow(10, float64(e)))
		}
	}
	for bits := 1; bits <= 64; bits++ {
		for i := 0; i < 300; i++ {
			v := r.Uint64() >> (64 - bits)
			emit(float64(v))
			emit(-float64(v))
		}
	}
	for i := 0; i < 200000; i++ {
		emit(math.Float64frombits(r.Uint64()))
	}
}
