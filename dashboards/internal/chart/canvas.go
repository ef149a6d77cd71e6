package chart

import (
	"image"
	"image/color"
	"image/draw"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Grafana's dark theme colours.
var (
	background = color.RGBA{0x11, 0x12, 0x17, 0xff}
	panelFill  = color.RGBA{0x18, 0x1b, 0x1f, 0xff}
	border     = color.RGBA{0x2c, 0x32, 0x35, 0xff}
	gridLine   = color.RGBA{0x24, 0x28, 0x2c, 0xff}
	textStrong = color.RGBA{0xd8, 0xd9, 0xda, 0xff}
	textWeak   = color.RGBA{0x8e, 0x8e, 0x9a, 0xff}
)

// palette is Grafana's classic series palette.
var palette = []color.RGBA{
	{0x73, 0xbf, 0x69, 0xff}, {0xf2, 0xcc, 0x0c, 0xff}, {0x8a, 0xb8, 0xff, 0xff}, {0xff, 0x78, 0x0a, 0xff},
	{0xf2, 0x49, 0x5c, 0xff}, {0x57, 0x94, 0xf2, 0xff}, {0xb8, 0x77, 0xd9, 0xff}, {0x70, 0x5d, 0xa0, 0xff},
	{0x37, 0x87, 0x2d, 0xff}, {0xfa, 0xde, 0x2a, 0xff},
}

// named maps threshold colour names to Grafana's shades.
var named = map[string]color.RGBA{
	"green":  {0x73, 0xbf, 0x69, 0xff},
	"yellow": {0xfa, 0xde, 0x2a, 0xff},
	"orange": {0xff, 0x98, 0x30, 0xff},
	"red":    {0xf2, 0x49, 0x5c, 0xff},
	"blue":   {0x57, 0x94, 0xf2, 0xff},
}

// fonts are the faces the pictures use.
type fonts struct {
	title, bold, regular, small, big font.Face
}

func loadFonts() fonts {
	face := func(ttf []byte, size float64) font.Face {
		f, err := opentype.Parse(ttf)
		if err != nil {
			panic(err) // the embedded Go fonts always parse
		}
		fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			panic(err)
		}
		return fc
	}
	return fonts{
		title:   face(gobold.TTF, 22),
		bold:    face(gobold.TTF, 15),
		regular: face(goregular.TTF, 13),
		small:   face(goregular.TTF, 11),
		big:     face(gobold.TTF, 34),
	}
}

// canvas is the picture being drawn.
type canvas struct {
	img   *image.RGBA
	fonts fonts
}

func newCanvas(w, h int) *canvas {
	return &canvas{img: image.NewRGBA(image.Rect(0, 0, w, h)), fonts: loadFonts()}
}

func (c *canvas) fill(r image.Rectangle, col color.Color) {
	draw.Draw(c.img, r, image.NewUniform(col), image.Point{}, draw.Src)
}

// blend paints col over the pixel at (x, y) with opacity a (0..1).
func (c *canvas) blend(x, y int, col color.RGBA, a float64) {
	if !(image.Point{X: x, Y: y}.In(c.img.Bounds())) {
		return
	}
	o := c.img.RGBAAt(x, y)
	mix := func(f, b uint8) uint8 { return uint8(float64(f)*a + float64(b)*(1-a)) }
	c.img.SetRGBA(x, y, color.RGBA{mix(col.R, o.R), mix(col.G, o.G), mix(col.B, o.B), 0xff})
}

// line draws a 2-pixel line from (x0, y0) to (x1, y1).
func (c *canvas) line(x0, y0, x1, y1 int, col color.RGBA) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	e := dx + dy
	for {
		c.img.SetRGBA(x0, y0, col)
		c.img.SetRGBA(x0, y0+1, col)
		if x0 == x1 && y0 == y1 {
			return
		}
		if e2 := 2 * e; e2 >= dy {
			e += dy
			x0 += sx
		} else {
			e += dx
			y0 += sy
		}
	}
}

// hline draws a 1-pixel horizontal line.
func (c *canvas) hline(x0, x1, y int, col color.RGBA) {
	c.fill(image.Rect(x0, y, x1, y+1), col)
}

// text draws s with its baseline at (x, y).
func (c *canvas) text(x, y int, s string, f font.Face, col color.Color) {
	d := &font.Drawer{Dst: c.img, Src: image.NewUniform(col), Face: f, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// textWidth measures s in pixels.
func (c *canvas) textWidth(s string, f font.Face) int {
	return font.MeasureString(f, s).Ceil()
}

// clip shortens s with an ellipsis to fit width pixels.
func (c *canvas) clip(s string, f font.Face, width int) string {
	if c.textWidth(s, f) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && c.textWidth(string(r)+"…", f) > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// panelFrame draws a panel's background, border and title.
func (c *canvas) panelFrame(r image.Rectangle, title string) {
	c.fill(r, border)
	c.fill(r.Inset(1), panelFill)
	c.text(r.Min.X+10, r.Min.Y+20, c.clip(title, c.fonts.bold, r.Dx()-20), c.fonts.bold, textStrong)
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func sign(v int) int {
	switch {
	case v < 0:
		return -1
	case v > 0:
		return 1
	}
	return 0
}
