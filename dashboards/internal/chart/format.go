package chart

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Format renders v in Grafana's unit, e.g. "12.5 ms", "3.20%", "1.25 req/s".
func Format(v float64, unit string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "No data"
	}
	switch unit {
	case "s":
		switch a := math.Abs(v); {
		case a == 0:
			return "0 s"
		case a < 1e-3:
			return num(v*1e6) + " µs"
		case a < 1:
			return num(v*1e3) + " ms"
		case a < 60:
			return num(v) + " s"
		default:
			return num(v/60) + " min"
		}
	case "percentunit":
		return num(v*100) + "%"
	case "reqps":
		return si(v) + " req/s"
	case "ops":
		return si(v) + " ops/s"
	case "bytes":
		return iec(v)
	}
	return si(v)
}

// num keeps three significant digits.
func num(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e6 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	s := strconv.FormatFloat(v, 'f', max(0, 2-int(math.Floor(math.Log10(math.Abs(v))))), 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// si scales by thousands: 1.2 k, 3.4 M.
func si(v float64) string {
	for _, p := range []struct {
		f float64
		s string
	}{{1e9, " G"}, {1e6, " M"}, {1e3, " k"}} {
		if math.Abs(v) >= p.f {
			return num(v/p.f) + strings.TrimSpace(p.s)
		}
	}
	if v == 0 {
		return "0"
	}
	return num(v)
}

// iec scales bytes by 1024: KiB, MiB, GiB.
func iec(v float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	i := 0
	for math.Abs(v) >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	return fmt.Sprintf("%s %s", num(v), units[i])
}
