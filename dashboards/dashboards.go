package dashboards

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// Board is one generated dashboard and the file it is committed as.
type Board struct {
	// File is the file name under grafana/, e.g. "function-overview.json".
	File string
	// Dashboard is the dashboard in the Foundation SDK's Classic model.
	Dashboard dashboard.Dashboard
}

// specs lists the bundled dashboards in their committed order.
func specs() []boardSpec {
	return []boardSpec{overview(), internals(), errorsBoard()}
}

// All builds every bundled dashboard.
func All() ([]Board, error) {
	var out []Board
	for _, s := range specs() {
		d, err := s.build()
		if err != nil {
			return nil, fmt.Errorf("dashboards: build %s: %w", s.uid, err)
		}
		out = append(out, Board{File: s.file, Dashboard: d})
	}
	return out, nil
}

// Marshal renders a dashboard as the committed JSON: indented with two
// spaces and ending in a newline.
func Marshal(d dashboard.Dashboard) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("dashboards: marshal %v: %w", d.Uid, err)
	}
	return buf.Bytes(), nil
}

// Write builds every dashboard and writes it to dir, one file each.
func Write(dir string) error {
	boards, err := All()
	if err != nil {
		return err
	}
	for _, b := range boards {
		data, err := Marshal(b.Dashboard)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, b.File), data, 0o644); err != nil {
			return fmt.Errorf("dashboards: write %s: %w", b.File, err)
		}
	}
	return nil
}
