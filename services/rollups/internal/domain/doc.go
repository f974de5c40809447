// Package domain holds the rollups service's rules: what a period and a
// filter mean, how an event's stamp orders it against another of the same
// aggregate, and the vocabularies (carrier kinds, ladder rungs, report
// figures) the figures are built on. No I/O.
package domain
