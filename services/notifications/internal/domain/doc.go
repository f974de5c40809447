// Package domain holds the notifications service's rules without I/O:
// what each notification says, in zh-CN and en, built from the facts of
// the event it is about (names, never ids), and where it leads.
package domain
