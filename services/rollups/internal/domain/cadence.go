package domain

import (
	"fmt"
	"time"
)

// Reporting cadences (incubatees' rule packs ask for one of them).
const (
	Monthly   = "monthly"
	Quarterly = "quarterly"
)

// DefaultReportGraceDays is incubatees' grace before a period's report is
// due, for rule packs announced before their events carried it.
const DefaultReportGraceDays = 15

// ReportPeriod is one reporting period and the last day its report may
// be submitted.
type ReportPeriod struct {
	Label, Start, End, DueOn string
}

// DuePeriods are the periods of cadence (monthly, else quarterly) whose
// report falls due (graceDays after the period ends) within window w and
// which overlap a residence from movedIn to ended (exclusive; "" for
// still in residence): the reports due from one resident in w.
func DuePeriods(cadence string, graceDays int, w Window, movedIn, ended string) []ReportPeriod {
	from, err1 := time.Parse(time.DateOnly, w.From)
	to, err2 := time.Parse(time.DateOnly, w.To)
	if err1 != nil || err2 != nil || movedIn == "" {
		return nil
	}
	months := 3
	if cadence == Monthly {
		months = 1
	}
	// The first period whose due date can fall in w ends at least
	// graceDays before w begins; start a period earlier to be sure.
	first := from.AddDate(0, 0, -graceDays).AddDate(0, -months, 0)
	start := time.Date(first.Year(), time.Month((int(first.Month())-1)/months*months+1), 1, 0, 0, 0, 0, time.UTC)
	var out []ReportPeriod
	for ; !start.After(to); start = start.AddDate(0, months, 0) {
		end := start.AddDate(0, months, -1)
		due := end.AddDate(0, 0, graceDays)
		if due.Before(from) || due.After(to) {
			continue
		}
		p := ReportPeriod{Start: start.Format(time.DateOnly), End: end.Format(time.DateOnly), DueOn: due.Format(time.DateOnly)}
		if movedIn > p.End || (ended != "" && ended <= p.Start) {
			continue // not in residence on any day of the period
		}
		if months == 1 {
			p.Label = start.Format("2006-01")
		} else {
			p.Label = fmt.Sprintf("%d-Q%d", start.Year(), (int(start.Month())-1)/3+1)
		}
		out = append(out, p)
	}
	return out
}
