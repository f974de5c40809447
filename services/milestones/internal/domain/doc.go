// Package domain holds the milestones service's rules, without I/O:
// templates of milestones per carrier kind, a residency's plan and its
// milestones with their state machine, progress updates and the history
// of every change, and when a milestone is due soon or overdue.
package domain
