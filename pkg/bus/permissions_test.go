package bus_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/incuchain/incuchain/pkg/bus"
)

// The permission files of the compose configuration and the Helm chart are
// generated from ServicePermissions, the same permissions the embedded
// server gives each service, so the modes cannot drift apart. Regenerate
// them with `make nats-config`.
func TestNATSPermissionFilesAreCurrent(t *testing.T) {
	root := filepath.Join("..", "..")
	files := map[string]string{
		filepath.Join(root, "deploy", "compose", "nats", "permissions.conf"):         bus.PermissionsConf("", false),
		filepath.Join(root, "charts", "incuchain", "files", "nats-permissions.conf"): bus.PermissionsConf("", true),
	}
	for path, want := range files {
		if os.Getenv("UPDATE_NATS_CONFIG") != "" {
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (generate it with `make nats-config`)", err)
		}
		if string(got) != want {
			t.Errorf("%s is stale; regenerate it with `make nats-config`", path)
		}
	}
}
