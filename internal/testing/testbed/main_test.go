package testbed_test

import (
	"testing"

	"github.com/org/secret-baker/internal/testing/testbed"
)

func TestMain(m *testing.M) {
	testbed.Main(m)
}
