package emf_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
)

// This file checks documents against the structure the CloudWatch Embedded
// Metric Format specification defines ("Specification: Embedded metric
// format", Amazon CloudWatch User Guide): the root node, the _aws metadata
// object, MetricDirective, DimensionSet, MetricDefinition, reference values
// and target members, with the limits CloudWatch enforces. A metric's
// target member is a number, an array of at most 100 numbers, or an object:
// a statistic set (Max, Min, Count, Sum) or a distribution (Values and
// Counts, arrays of at most 100, with the statistic set), the forms
// CloudWatch's agent and the OpenTelemetry awsemf exporter write for
// histograms.

// emfUnits are the units the specification's schema allows.
var emfUnits = strings.Split("Seconds|Microseconds|Milliseconds|Bytes|Kilobytes|Megabytes|Gigabytes|Terabytes|"+
	"Bits|Kilobits|Megabits|Gigabits|Terabits|Percent|Count|Bytes/Second|Kilobytes/Second|Megabytes/Second|"+
	"Gigabytes/Second|Terabytes/Second|Bits/Second|Kilobits/Second|Megabits/Second|Gigabits/Second|"+
	"Terabits/Second|Count/Second|None", "|")

const (
	specMaxEventBytes     = 256 << 10 // the older, stricter CloudWatch Logs event limit
	specMaxMetrics        = 100
	specMaxDimensionKeys  = 30
	specMaxArrayValues    = 100
	specMaxNameLength     = 255
	specMaxDimensionValue = 1024
)

// emfDoc is a validated document, flattened for assertions.
type emfDoc struct {
	Timestamp  int64
	Namespace  string
	Dimensions [][]string
	Units      map[string]string  // metric name → unit
	Values     map[string]float64 // metric name → value (arrays summed; a distribution's Count)
	Dists      map[string]*emfDist
	MetricDims map[string][]string // metric name → its directive's dimension names
	DimValues  map[string]string   // dimension name → value
}

// emfDist is a distribution or statistic set.
type emfDist struct {
	Values, Counts       []float64
	Max, Min, Count, Sum float64
}

// validateEMF checks one log line against the specification and returns it
// flattened, or the first violation.
func validateEMF(line []byte) (*emfDoc, error) {
	if len(line) > specMaxEventBytes {
		return nil, fmt.Errorf("event of %d bytes exceeds %d", len(line), specMaxEventBytes)
	}
	// Root node: a valid JSON object with no additional data around it.
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	var root map[string]any
	if err := dec.Decode(&root); err != nil {
		return nil, fmt.Errorf("root is not a JSON object: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("additional data after the root object")
	}
	aws, ok := root["_aws"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("root has no _aws object")
	}
	// Metadata object: CloudWatchMetrics and Timestamp, nothing else.
	if err := onlyMembers(aws, "_aws", []string{"CloudWatchMetrics", "Timestamp"}, nil); err != nil {
		return nil, err
	}
	tsNum, ok := aws["Timestamp"].(json.Number)
	if !ok {
		return nil, fmt.Errorf("_aws.Timestamp is not a number")
	}
	ts, err := tsNum.Int64()
	if err != nil || ts < 0 {
		return nil, fmt.Errorf("_aws.Timestamp %q is not a non-negative integer of milliseconds", tsNum)
	}
	directives, ok := aws["CloudWatchMetrics"].([]any)
	if !ok || len(directives) == 0 {
		return nil, fmt.Errorf("_aws.CloudWatchMetrics is not a non-empty array")
	}
	doc := &emfDoc{Timestamp: ts, Units: map[string]string{}, Values: map[string]float64{}, DimValues: map[string]string{},
		Dists: map[string]*emfDist{}, MetricDims: map[string][]string{}}
	for i, d := range directives {
		if err := validateDirective(root, d, doc); err != nil {
			return nil, fmt.Errorf("MetricDirective %d: %w", i, err)
		}
	}
	for name := range doc.Values {
		if _, both := doc.DimValues[name]; both {
			return nil, fmt.Errorf("member %q is both a dimension and a metric", name)
		}
	}
	return doc, nil
}

func validateDirective(root map[string]any, v any, doc *emfDoc) error {
	d, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("not an object")
	}
	if err := onlyMembers(d, "MetricDirective", []string{"Namespace", "Dimensions", "Metrics"}, nil); err != nil {
		return err
	}
	ns, ok := d["Namespace"].(string)
	if !ok || len(ns) == 0 || len(ns) > specMaxNameLength {
		return fmt.Errorf("Namespace %v is not a string of 1 to %d characters", d["Namespace"], specMaxNameLength)
	}
	doc.Namespace = ns
	sets, ok := d["Dimensions"].([]any)
	if !ok || len(sets) == 0 {
		return fmt.Errorf("Dimensions is not an array of at least one DimensionSet")
	}
	var dims []string
	for _, s := range sets {
		set, ok := s.([]any)
		if !ok {
			return fmt.Errorf("DimensionSet %v is not an array", s)
		}
		if len(set) > specMaxDimensionKeys {
			return fmt.Errorf("DimensionSet has %d keys, more than %d", len(set), specMaxDimensionKeys)
		}
		var names []string
		for _, k := range set {
			key, ok := k.(string)
			if !ok || key == "" || len(key) > specMaxNameLength {
				return fmt.Errorf("dimension reference %v is not a string of 1 to %d characters", k, specMaxNameLength)
			}
			// Target member: on the root node, with a string value.
			val, ok := root[key].(string)
			if !ok {
				return fmt.Errorf("dimension %q has no string target member on the root", key)
			}
			if strings.TrimSpace(val) == "" || len(val) > specMaxDimensionValue || !ascii(val) {
				return fmt.Errorf("dimension %q value %q is not 1 to %d ASCII characters", key, val, specMaxDimensionValue)
			}
			doc.DimValues[key] = val
			names = append(names, key)
		}
		doc.Dimensions = append(doc.Dimensions, names)
		dims = append(dims, names...)
	}
	metrics, ok := d["Metrics"].([]any)
	if !ok {
		return fmt.Errorf("Metrics is not an array")
	}
	if len(metrics) > specMaxMetrics {
		return fmt.Errorf("%d MetricDefinitions, more than %d", len(metrics), specMaxMetrics)
	}
	for _, m := range metrics {
		def, ok := m.(map[string]any)
		if !ok {
			return fmt.Errorf("MetricDefinition %v is not an object", m)
		}
		if err := onlyMembers(def, "MetricDefinition", []string{"Name"}, []string{"Unit", "StorageResolution"}); err != nil {
			return err
		}
		name, ok := def["Name"].(string)
		if !ok || name == "" || len(name) > specMaxNameLength {
			return fmt.Errorf("MetricDefinition Name %v is not a string of 1 to %d characters", def["Name"], specMaxNameLength)
		}
		if _, dup := doc.Units[name]; dup {
			return fmt.Errorf("metric %q defined twice", name)
		}
		unit := "None"
		if u, set := def["Unit"]; set {
			if unit, ok = u.(string); !ok || !slices.Contains(emfUnits, unit) {
				return fmt.Errorf("metric %q: Unit %v is not a CloudWatch unit", name, u)
			}
		}
		if r, set := def["StorageResolution"]; set && r != json.Number("1") && r != json.Number("60") {
			return fmt.Errorf("metric %q: StorageResolution %v is not 1 or 60", name, r)
		}
		// Target member: a number, an array of at most 100 numbers, or an
		// object.
		value, dist, err := metricValue(root[name])
		if err != nil {
			return fmt.Errorf("metric %q: %w", name, err)
		}
		doc.Units[name] = unit
		doc.Values[name] = value
		doc.MetricDims[name] = dims
		if dist != nil {
			doc.Dists[name] = dist
		}
	}
	return nil
}

func metricValue(v any) (float64, *emfDist, error) {
	switch t := v.(type) {
	case json.Number:
		f, err := t.Float64()
		return f, nil, err
	case []any:
		values, err := numbers(t)
		if err != nil {
			return 0, nil, err
		}
		var sum float64
		for _, f := range values {
			sum += f
		}
		return sum, nil, nil
	case map[string]any:
		d, err := distribution(t)
		if err != nil {
			return 0, nil, err
		}
		return d.Count, d, nil
	case nil:
		return 0, nil, fmt.Errorf("no target member on the root")
	}
	return 0, nil, fmt.Errorf("target member %v is not a number, an array of numbers or an object", v)
}

// numbers checks an array of 1 to 100 numbers.
func numbers(t []any) ([]float64, error) {
	if len(t) == 0 || len(t) > specMaxArrayValues {
		return nil, fmt.Errorf("array of %d values, need 1 to %d", len(t), specMaxArrayValues)
	}
	out := make([]float64, 0, len(t))
	for _, x := range t {
		n, ok := x.(json.Number)
		if !ok {
			return nil, fmt.Errorf("array value %v is not a number", x)
		}
		f, err := n.Float64()
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// distribution checks a statistic set, or a distribution when it has
// Values and Counts: arrays of equal length whose counts add up to Count,
// every value between Min and Max, and Min <= Sum/Count <= Max.
func distribution(obj map[string]any) (*emfDist, error) {
	stats := []string{"Max", "Min", "Count", "Sum"}
	var optional []string
	if _, ok := obj["Values"]; ok {
		stats = append(stats, "Values", "Counts")
	} else {
		optional = []string{"Counts"} // reported below as unpaired
	}
	if err := onlyMembers(obj, "distribution", stats, optional); err != nil {
		return nil, err
	}
	d := &emfDist{}
	for name, dst := range map[string]*float64{"Max": &d.Max, "Min": &d.Min, "Count": &d.Count, "Sum": &d.Sum} {
		n, ok := obj[name].(json.Number)
		if !ok {
			return nil, fmt.Errorf("%s %v is not a number", name, obj[name])
		}
		f, err := n.Float64()
		if err != nil {
			return nil, err
		}
		*dst = f
	}
	if d.Count <= 0 || d.Min > d.Max || d.Sum < d.Min*d.Count-1e-9*math.Abs(d.Sum) || d.Sum > d.Max*d.Count+1e-9*math.Abs(d.Sum) {
		return nil, fmt.Errorf("statistics Count %v, Min %v, Max %v, Sum %v are inconsistent", d.Count, d.Min, d.Max, d.Sum)
	}
	if _, ok := obj["Counts"]; ok && obj["Values"] == nil {
		return nil, fmt.Errorf("Counts without Values")
	}
	if obj["Values"] == nil {
		return d, nil
	}
	vs, ok1 := obj["Values"].([]any)
	cs, ok2 := obj["Counts"].([]any)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("Values and Counts must be arrays")
	}
	var err error
	if d.Values, err = numbers(vs); err != nil {
		return nil, fmt.Errorf("Values: %w", err)
	}
	if d.Counts, err = numbers(cs); err != nil {
		return nil, fmt.Errorf("Counts: %w", err)
	}
	if len(d.Values) != len(d.Counts) {
		return nil, fmt.Errorf("%d Values but %d Counts", len(d.Values), len(d.Counts))
	}
	var total float64
	for i, c := range d.Counts {
		if c <= 0 || c != math.Trunc(c) {
			return nil, fmt.Errorf("count %v is not a positive integer", c)
		}
		if v := d.Values[i]; v < d.Min || v > d.Max {
			return nil, fmt.Errorf("value %v outside [Min %v, Max %v]", v, d.Min, d.Max)
		}
		total += c
	}
	if total != d.Count {
		return nil, fmt.Errorf("Counts add up to %v, Count is %v", total, d.Count)
	}
	return d, nil
}

// onlyMembers checks that obj has every required member and nothing beyond
// required and optional ("objects … MUST NOT contain any additional members").
func onlyMembers(obj map[string]any, what string, required, optional []string) error {
	for _, k := range required {
		if _, ok := obj[k]; !ok {
			return fmt.Errorf("%s has no %s", what, k)
		}
	}
	for k := range obj {
		if !slices.Contains(required, k) && !slices.Contains(optional, k) {
			return fmt.Errorf("%s has an additional member %q", what, k)
		}
	}
	return nil
}

func ascii(s string) bool {
	for i := range len(s) {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
