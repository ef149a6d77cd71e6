package chart

import (
	"image"
	"image/color"
	"math"
	"time"
)

// thresholdColor is the colour of the threshold step v falls in.
func thresholdColor(steps []Step, v float64) color.RGBA {
	col := named["green"]
	for _, s := range steps {
		if s.Value == nil || v >= *s.Value {
			if c, ok := named[s.Color]; ok {
				col = c
			}
		}
	}
	return col
}

// stat draws each series' last value, big, coloured by the thresholds,
// with a sparkline under a single series.
func (c *canvas) stat(r image.Rectangle, p Panel) {
	inner := image.Rect(r.Min.X+10, r.Min.Y+28, r.Max.X-10, r.Max.Y-8)
	var shown []Series
	for _, s := range p.Series {
		if _, ok := s.Last(); ok {
			shown = append(shown, s)
		}
	}
	if len(shown) == 0 {
		c.text(inner.Min.X, inner.Min.Y+inner.Dy()/2+10, "No data", c.fonts.big, textWeak)
		return
	}
	if len(shown) == 1 && len(shown[0].Points) > 2 {
		c.sparkline(inner, shown[0], p)
	}
	h := inner.Dy() / len(shown)
	for i, s := range shown {
		v, _ := s.Last()
		label := Format(v, p.Unit)
		y := inner.Min.Y + i*h + h/2 + 12
		x := inner.Min.X
		if len(shown) > 1 {
			c.text(x, y, s.Name, c.fonts.regular, textWeak)
			x += c.textWidth(s.Name, c.fonts.regular) + 10
		}
		c.text(x, y, label, c.fonts.big, thresholdColor(p.Thresholds, v))
	}
}

// sparkline draws s as a faint area at the bottom of r.
func (c *canvas) sparkline(r image.Rectangle, s Series, p Panel) {
	lo, hi := valueRange([]Series{s}, p)
	from, to := s.Points[0].T, s.Points[len(s.Points)-1].T
	col := thresholdColor(p.Thresholds, s.Points[len(s.Points)-1].V)
	area := image.Rect(r.Min.X, r.Min.Y+r.Dy()/2, r.Max.X, r.Max.Y)
	for i := 1; i < len(s.Points); i++ {
		a, b := s.Points[i-1], s.Points[i]
		x0, x1 := xOf(a.T, from, to, area), xOf(b.T, from, to, area)
		if i == len(s.Points)-1 {
			x1++ // the last segment includes its end
		}
		for x := x0; x < x1; x++ {
			f := 0.0
			if x1 > x0 {
				f = float64(x-x0) / float64(x1-x0)
			}
			y := yOf(a.V+(b.V-a.V)*f, lo, hi, area)
			for yy := y; yy < area.Max.Y; yy++ {
				c.blend(x, yy, col, 0.15)
			}
			c.blend(x, y, col, 0.6)
		}
	}
}

// stack returns the series with each one's values added to those of the
// series before it at the same time, as Grafana's normal stacking draws them.
func stack(ss []Series) []Series {
	sums := map[int64]float64{}
	out := make([]Series, len(ss))
	for i, s := range ss {
		out[i] = Series{Name: s.Name, Points: make([]Point, len(s.Points))}
		for j, pt := range s.Points {
			k := pt.T.UnixMilli()
			sums[k] += pt.V
			out[i].Points[j] = Point{T: pt.T, V: sums[k]}
		}
	}
	return out
}

// timeseries draws every series as a line over from..to, with value and
// time axes and a legend listing each series' last and maximum value.
func (c *canvas) timeseries(r image.Rectangle, p Panel, from, to time.Time) {
	legendRows := min(len(p.Series), max(1, (r.Dy()-120)/16))
	plot := image.Rect(r.Min.X+64, r.Min.Y+34, r.Max.X-14, r.Max.Y-22-16*legendRows)
	drawn := p.Series
	if p.Stacked {
		drawn = stack(p.Series)
	}
	lo, hi := valueRange(drawn, p)
	for i := 0; i <= 4; i++ {
		v := lo + (hi-lo)*float64(i)/4
		y := yOf(v, lo, hi, plot)
		c.hline(plot.Min.X, plot.Max.X, y, gridLine)
		label := Format(v, p.Unit)
		c.text(plot.Min.X-6-c.textWidth(label, c.fonts.small), y+4, label, c.fonts.small, textWeak)
	}
	for i := 0; i <= 3; i++ {
		t := from.Add(to.Sub(from) * time.Duration(i) / 3)
		label := t.UTC().Format("15:04:05")
		x := xOf(t, from, to, plot) - c.textWidth(label, c.fonts.small)/2
		c.text(min(max(x, plot.Min.X), plot.Max.X-c.textWidth(label, c.fonts.small)), plot.Max.Y+14, label, c.fonts.small, textWeak)
	}
	if len(p.Series) == 0 {
		c.text(plot.Min.X+plot.Dx()/2-30, plot.Min.Y+plot.Dy()/2, "No data", c.fonts.bold, textWeak)
		return
	}
	for i, s := range drawn {
		col := palette[i%len(palette)]
		if p.Bars {
			c.bars(plot, s, i, len(drawn), lo, hi, from, to, col)
			continue
		}
		var prev *image.Point
		var prevT time.Time
		for _, pt := range s.Points {
			cur := image.Point{X: xOf(pt.T, from, to, plot), Y: yOf(pt.V, lo, hi, plot)}
			// A gap of more than a minute between samples is a gap in the data.
			if prev != nil && pt.T.Sub(prevT) <= time.Minute {
				c.line(prev.X, prev.Y, cur.X, cur.Y, col)
			} else {
				c.img.SetRGBA(cur.X, cur.Y, col)
			}
			prev, prevT = &cur, pt.T
		}
	}
	for i, s := range p.Series[:legendRows] {
		col := palette[i%len(palette)]
		y := plot.Max.Y + 34 + 16*i
		c.fill(image.Rect(r.Min.X+12, y-8, r.Min.X+26, y-4), col)
		last, _ := s.Last()
		stats := "last " + Format(last, p.Unit) + "   max " + Format(seriesMax(s), p.Unit)
		c.text(r.Max.X-14-c.textWidth(stats, c.fonts.small), y, stats, c.fonts.small, textWeak)
		name := c.clip(s.Name, c.fonts.small, r.Dx()-60-c.textWidth(stats, c.fonts.small))
		c.text(r.Min.X+32, y, name, c.fonts.small, textStrong)
	}
	if hidden := len(p.Series) - legendRows; hidden > 0 {
		c.text(r.Min.X+32, r.Max.Y-6, "…", c.fonts.small, textWeak)
	}
}

// barGauge draws one horizontal bar per series, scaled to the largest.
func (c *canvas) barGauge(r image.Rectangle, p Panel) {
	top := r.Min.Y + 32
	n := len(p.Series)
	if n == 0 {
		c.text(r.Min.X+12, top+20, "No data", c.fonts.bold, textWeak)
		return
	}
	h := min(28, (r.Max.Y-8-top)/n)
	_, hi := valueRange(p.Series, p)
	labelW := 0
	for _, s := range p.Series {
		labelW = max(labelW, c.textWidth(s.Name, c.fonts.regular))
	}
	labelW = min(labelW, r.Dx()/2)
	for i, s := range p.Series {
		v, _ := s.Last()
		y := top + i*h
		c.text(r.Min.X+12, y+h/2+5, c.clip(s.Name, c.fonts.regular, labelW), c.fonts.regular, textStrong)
		value := Format(v, p.Unit)
		barX := r.Min.X + 20 + labelW
		barMax := r.Max.X - 16 - c.textWidth(value, c.fonts.bold) - 8
		w := int(float64(barMax-barX) * v / hi)
		c.fill(image.Rect(barX, y+3, barMax, y+h-3), gridLine)
		c.fill(image.Rect(barX, y+3, barX+max(w, 1), y+h-3), thresholdColor(p.Thresholds, v))
		c.text(barMax+8, y+h/2+6, value, c.fonts.bold, thresholdColor(p.Thresholds, v))
	}
}

// valueRange is the value axis: from the panel's min (or the data's, or 0)
// to its max (or 10 % above the data's).
func valueRange(ss []Series, p Panel) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, s := range ss {
		for _, pt := range s.Points {
			lo, hi = math.Min(lo, pt.V), math.Max(hi, pt.V)
		}
	}
	if math.IsInf(lo, 0) {
		lo, hi = 0, 1
	}
	if p.Min != nil {
		lo = *p.Min
	}
	hi *= 1.1
	if p.Max != nil {
		hi = *p.Max
	}
	if hi <= lo {
		hi = lo + 1
	}
	return lo, hi
}

func seriesMax(s Series) float64 {
	m := math.Inf(-1)
	for _, p := range s.Points {
		m = math.Max(m, p.V)
	}
	return m
}

func xOf(t, from, to time.Time, r image.Rectangle) int {
	span := to.Sub(from)
	if span <= 0 {
		return r.Min.X
	}
	return r.Min.X + int(float64(r.Dx())*float64(t.Sub(from))/float64(span))
}

func yOf(v, lo, hi float64, r image.Rectangle) int {
	f := (v - lo) / (hi - lo)
	f = math.Max(0, math.Min(1, f))
	return r.Max.Y - int(f*float64(r.Dy()))
}

// bars draws series number i of n as thin bars, side by side with the
// other series' bars of the same time.
func (c *canvas) bars(plot image.Rectangle, s Series, i, n int, lo, hi float64, from, to time.Time, col color.RGBA) {
	if len(s.Points) == 0 {
		return
	}
	slot := plot.Dx() / max(1, int(to.Sub(from)/pictureStepGuess(s)))
	w := max(1, slot*3/4/n)
	base := yOf(lo, lo, hi, plot)
	for _, pt := range s.Points {
		x := xOf(pt.T, from, to, plot) - slot*3/8 + i*w
		y := yOf(pt.V, lo, hi, plot)
		if y < base {
			c.fill(image.Rect(x, y, x+w, base), col)
		}
	}
}

// pictureStepGuess is the smallest time between two samples of s.
func pictureStepGuess(s Series) time.Duration {
	step := time.Duration(math.MaxInt64)
	for i := 1; i < len(s.Points); i++ {
		step = min(step, s.Points[i].T.Sub(s.Points[i-1].T))
	}
	if step <= 0 || step == time.Duration(math.MaxInt64) {
		return time.Second
	}
	return step
}
