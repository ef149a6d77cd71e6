package chart

import (
	"bytes"
	"image/png"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestFormat(t *testing.T) {
	cases := []struct {
		v    float64
		unit string
		want string
	}{
		{0.0123, "s", "12.3 ms"},
		{0.000042, "s", "42 µs"},
		{2.5, "s", "2.5 s"},
		{0, "s", "0 s"},
		{0.1812, "percentunit", "18.1%"},
		{28.66, "reqps", "28.7 req/s"},
		{1500, "short", "1.5k"},
		{3, "short", "3"},
		{256 << 20, "bytes", "256 MiB"},
		{math.NaN(), "short", "No data"},
	}
	for _, c := range cases {
		t.Run(c.want, func(t *testing.T) {
			require.Equal(t, c.want, Format(c.v, c.unit))
		})
	}
}

func TestRender(t *testing.T) {
	from := time.Unix(1_700_000_000, 0)
	to := from.Add(time.Minute)
	var pts []Point
	for i := range 31 {
		pts = append(pts, Point{T: from.Add(time.Duration(i) * 2 * time.Second), V: float64(i % 7)})
	}
	red := 1.0
	panels := []Panel{
		{Kind: "stat", Title: "A stat", Unit: "short", X: 0, Y: 0, W: 12, H: 4, Series: []Series{{Name: "a", Points: pts}},
			Thresholds: []Step{{Color: "green"}, {Value: &red, Color: "red"}}},
		{Kind: "bargauge", Title: "Bars", Unit: "short", X: 12, Y: 0, W: 12, H: 4, Series: []Series{{Name: "x", Points: pts[:1]}, {Name: "y", Points: pts[3:4]}}},
		{Kind: "row", Title: "Row", X: 0, Y: 4, W: 24, H: 1},
		{Kind: "timeseries", Title: "Lines", Unit: "s", X: 0, Y: 5, W: 8, H: 8, Series: []Series{{Name: "l", Points: pts}, {Name: "m", Points: pts}}},
		{Kind: "timeseries", Title: "Stacked bars", Unit: "ops", X: 8, Y: 5, W: 8, H: 8, Bars: true, Stacked: true, Series: []Series{{Name: "l", Points: pts}, {Name: "m", Points: pts}}},
		{Kind: "timeseries", Title: "Empty", Unit: "short", X: 16, Y: 5, W: 8, H: 8},
	}
	var buf bytes.Buffer
	require.NoError(t, Render(&buf, "Title", "subtitle", from, to, panels))
	img, err := png.Decode(&buf)
	require.NoError(t, err)
	require.Equal(t, 24*columnWidth+2*margin, img.Bounds().Dx())
	require.Equal(t, header+13*rowHeight+margin, img.Bounds().Dy())

	// The stat's value is drawn in the threshold colour of its last value.
	found := false
	want := named["red"]
	for y := 0; y < header+4*rowHeight && !found; y++ {
		for x := 0; x < 12*columnWidth; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if uint8(r>>8) == want.R && uint8(g>>8) == want.G && uint8(b>>8) == want.B {
				found = true
				break
			}
		}
	}
	require.True(t, found, "no pixel of the red threshold colour in the stat")

	require.Error(t, Render(&bytes.Buffer{}, "T", "", from, to, []Panel{{Kind: "piechart"}}))
}

func TestStack(t *testing.T) {
	t0 := time.Unix(0, 0)
	got := stack([]Series{
		{Name: "a", Points: []Point{{t0, 1}, {t0.Add(time.Second), 2}}},
		{Name: "b", Points: []Point{{t0, 10}, {t0.Add(time.Second), 20}}},
	})
	require.Equal(t, []Point{{t0, 11}, {t0.Add(time.Second), 22}}, got[1].Points)
	require.Equal(t, []Point{{t0, 1}, {t0.Add(time.Second), 2}}, got[0].Points)
}
