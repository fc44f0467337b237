package rotation

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Day is 24 hours: ages count calendar-free days.
const Day = 24 * time.Hour

// MaxAge is the longest age the grammar accepts, 100 years.
const MaxAge = 36500 * Day

// agePattern is a whole number of days or hours.
var agePattern = regexp.MustCompile(`^([0-9]{1,7})([dh])$`)

// ErrInvalidAge is wrapped by ParseAge's errors.
var ErrInvalidAge = errors.New("invalid age")

// ParseAge reads an age written as a whole number of days or hours: "90d",
// "12h". It must be positive and at most MaxAge.
func ParseAge(s string) (time.Duration, error) {
	m := agePattern.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%w %q: want a whole number of days or hours, such as 90d or 12h", ErrInvalidAge, s)
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	unit := Day
	if m[2] == "h" {
		unit = time.Hour
	}
	switch {
	case n == 0:
		return 0, fmt.Errorf("%w %q: it must be longer than zero", ErrInvalidAge, s)
	case n > int64(MaxAge/unit):
		return 0, fmt.Errorf("%w %q: it must be at most %s", ErrInvalidAge, s, FormatAge(MaxAge))
	default:
		return time.Duration(n) * unit, nil
	}
}

// FormatAge writes d in days and hours, rounded down: "91d", "3d 4h", "5h";
// an age under an hour is "<1h", and a negative one (a clock behind SSM's)
// is "0h".
func FormatAge(d time.Duration) string {
	days, hours := int64(d/Day), int64(d%Day/time.Hour)
	switch {
	case d < 0:
		return "0h"
	case days == 0 && hours == 0:
		return "<1h"
	case days == 0:
		return fmt.Sprintf("%dh", hours)
	case hours == 0:
		return fmt.Sprintf("%dd", days)
	default:
		return fmt.Sprintf("%dd %dh", days, hours)
	}
}

// FormatDate writes when a version was set, to the minute in UTC:
// "2026-11-28 16:05 UTC"; "-" when unknown (the zero time).
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}
