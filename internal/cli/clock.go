package cli

import "time"

// clock tells the time by which a run judges the age of parameter versions.
// Only the tests that run the program as a separate process change it
// (main_test.go), before main starts.
var clock = time.Now
