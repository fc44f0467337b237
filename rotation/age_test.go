package rotation

import (
	"errors"
	"testing"
	"time"
)

func TestParseAge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    time.Duration
		wantErr string
	}{
		{in: "90d", want: 90 * Day},
		{in: "12h", want: 12 * time.Hour},
		{in: "1h", want: time.Hour},
		{in: "36500d", want: MaxAge},
		{in: "0d", wantErr: `invalid age "0d": it must be longer than zero`},
		{in: "36501d", wantErr: `invalid age "36501d": it must be at most 36500d`},
		{in: "9999999h", wantErr: `invalid age "9999999h": it must be at most 36500d`},
		{in: "90", wantErr: `invalid age "90": want a whole number of days or hours, such as 90d or 12h`},
		{in: "1.5d", wantErr: `invalid age "1.5d": want a whole number of days or hours, such as 90d or 12h`},
		{in: "-1d", wantErr: `invalid age "-1d": want a whole number of days or hours, such as 90d or 12h`},
		{in: "2w", wantErr: `invalid age "2w": want a whole number of days or hours, such as 90d or 12h`},
		{in: " 1d", wantErr: `invalid age " 1d": want a whole number of days or hours, such as 90d or 12h`},
		{in: "", wantErr: `invalid age "": want a whole number of days or hours, such as 90d or 12h`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseAge(tc.in)
			if tc.wantErr != "" {
				if err == nil || err.Error() != tc.wantErr || !errors.Is(err, ErrInvalidAge) {
					t.Fatalf("ParseAge(%q) error = %v, want %s", tc.in, err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("ParseAge(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
}

func TestFormatAge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   time.Duration
		want string
	}{
		{-time.Minute, "0h"},
		{0, "<1h"},
		{59 * time.Minute, "<1h"},
		{time.Hour, "1h"},
		{23*time.Hour + 59*time.Minute, "23h"},
		{Day, "1d"},
		{3*Day + 4*time.Hour + 5*time.Minute, "3d 4h"},
		{91 * Day, "91d"},
	}
	for _, tc := range tests {
		if got := FormatAge(tc.in); got != tc.want {
			t.Errorf("FormatAge(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
