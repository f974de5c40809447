// Package calendar is the calendar the district works by: a date is a day
// in China (UTC+8, no daylight saving), whatever the server's clock zone.
// A residency that ends at 00:30 in Jinan ends on that day, and "today" in
// a rollup, a milestone's deadline or a report's due date is the same day
// for every service.
package calendar

import "time"

// Zone is China Standard Time.
var Zone = time.FixedZone("CST", 8*3600)

// Today is the date in China at instant now, as midnight UTC: the form
// in which the services store and compare dates.
func Today(now time.Time) time.Time {
	c := now.In(Zone)
	return time.Date(c.Year(), c.Month(), c.Day(), 0, 0, 0, 0, time.UTC)
}

// Date is Today as YYYY-MM-DD.
func Date(now time.Time) string { return Today(now).Format(time.DateOnly) }
