package chart

import (
	"fmt"
	"image"
	"image/png"
	"io"
	"time"
)

// Point is one sample.
type Point struct {
	T time.Time
	V float64
}

// Series is one line (or one value) of a panel.
type Series struct {
	Name   string
	Points []Point
}

// Last returns the last sample's value and whether there is one.
func (s Series) Last() (float64, bool) {
	if len(s.Points) == 0 {
		return 0, false
	}
	return s.Points[len(s.Points)-1].V, true
}

// Step is a threshold: from Value on (nil: from minus infinity), Color.
type Step struct {
	Value *float64
	Color string
}

// Panel is one panel with its data.
type Panel struct {
	// Kind is the Grafana panel type: row, stat, timeseries or bargauge.
	Kind  string
	Title string
	Unit  string
	// X, Y, W, H are the grid position, in Grafana's 24-column units.
	X, Y, W, H int
	Series     []Series
	Thresholds []Step
	// Min is the lower bound of the value axis, when set.
	Min *float64
	// Max is the upper bound of the value axis, when set.
	Max *float64
	// Bars draws a time series as bars instead of lines.
	Bars bool
	// Stacked stacks the series of a time series on each other.
	Stacked bool
}

// Layout constants, in pixels.
const (
	columnWidth = 64
	rowHeight   = 34
	margin      = 16
	header      = 56
	gap         = 6
)

// Render draws the panels of a dashboard titled title, whose data spans
// from..to, as a PNG into w.
func Render(w io.Writer, title, subtitle string, from, to time.Time, panels []Panel) error {
	bottom := 0
	for _, p := range panels {
		bottom = max(bottom, p.Y+p.H)
	}
	width := 24*columnWidth + 2*margin
	height := header + bottom*rowHeight + margin
	c := newCanvas(width, height)
	c.fill(c.img.Bounds(), background)
	c.text(margin, 30, title, c.fonts.title, textStrong)
	c.text(margin, 48, subtitle, c.fonts.small, textWeak)
	for _, p := range panels {
		r := image.Rect(
			margin+p.X*columnWidth, header+p.Y*rowHeight,
			margin+(p.X+p.W)*columnWidth-gap, header+(p.Y+p.H)*rowHeight-gap,
		)
		switch p.Kind {
		case "row":
			c.text(r.Min.X, r.Min.Y+20, p.Title, c.fonts.bold, textStrong)
		case "stat":
			c.panelFrame(r, p.Title)
			c.stat(r, p)
		case "timeseries":
			c.panelFrame(r, p.Title)
			c.timeseries(r, p, from, to)
		case "bargauge":
			c.panelFrame(r, p.Title)
			c.barGauge(r, p)
		default:
			return fmt.Errorf("chart: panel %q: unsupported kind %q", p.Title, p.Kind)
		}
	}
	if err := png.Encode(w, c.img); err != nil {
		return fmt.Errorf("chart: encode: %w", err)
	}
	return nil
}
