package drift

// Recorded is recorded, for the emulator tests of package drift_test.
var Recorded = recorded
