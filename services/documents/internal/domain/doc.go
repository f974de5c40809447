// Package domain holds the documents service's rules: document types and
// their limits, safe original names, what the bytes of an upload really
// are (sniffed, never taken from the client), archive-bomb limits,
// document status and checklists. Nothing here does I/O beyond reading a
// file it is handed.
package domain
