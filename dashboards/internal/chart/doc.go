// Package chart draws a dashboard's panels as a PNG picture, from query
// results, with the standard library's image packages and the Go fonts: time
// series as lines, stats as big numbers coloured by their thresholds, bar
// gauges as bars, laid out on Grafana's 24-column grid. It is a picture of
// what the queries return, in Grafana's dark colours, not a Grafana
// screenshot.
package chart
