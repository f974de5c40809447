package bus

import (
	"fmt"
	"strings"

	"github.com/incuchain/incuchain/pkg/events"
)

// Services are the services that publish or consume events, each with its
// own NATS user. The embedded server, the Helm chart and the compose
// configuration give each exactly the permissions of ServicePermissions.
var Services = []string{"parks", "incubatees", "documents", "milestones", "rollups", "notifications"}

// Permissions are what one NATS user may publish and subscribe to; nothing
// else is allowed.
type Permissions struct {
	Publish   []string
	Subscribe []string
}

// ServicePermissions are the NATS permissions of service's user under
// namespace (see Config.Namespace): publish its own events
// (incuchain.<service>.>), declare and update only its own stream, create,
// read and delete consumers on any stream (consuming is not publishing),
// acknowledge, and receive replies on its own inbox prefix. With these, no
// service can publish into another's subjects, nor redefine another's
// stream to capture its own subjects under the other's name.
func ServicePermissions(namespace, service string) Permissions {
	ns := normalizeNamespace(namespace)
	own := streamNameFor(ns, service)
	return Permissions{
		Publish: []string{
			ns + events.SubjectPrefix + "." + service + ".>",
			"$JS.API.INFO",
			"$JS.API.STREAM.INFO.*",
			"$JS.API.STREAM.CREATE." + own,
			"$JS.API.STREAM.UPDATE." + own,
			"$JS.API.CONSUMER.CREATE.*",
			"$JS.API.CONSUMER.CREATE.*.>",
			"$JS.API.CONSUMER.DURABLE.CREATE.*.*",
			"$JS.API.CONSUMER.INFO.*.*",
			"$JS.API.CONSUMER.DELETE.*.*",
			"$JS.API.CONSUMER.MSG.NEXT.*.*",
			"$JS.ACK.>",
		},
		Subscribe: []string{inboxPrefix(ns, service) + ".>"},
	}
}

// inboxPrefix is the reply subject prefix of service's connections: a
// service's user may subscribe only there, so it cannot read the replies
// (and pulled messages) of another.
func inboxPrefix(ns, service string) string {
	return "_INBOX_" + streamToken(ns+service)
}

// Placeholders in the permission file of the Helm chart, replaced by the
// chart with the configured namespace (nats.namespace).
const (
	placeholderSubjectNS = "@SUBJECT_NS@" // "staging." for namespace staging
	placeholderStreamNS  = "@STREAM_NS@"  // "STAGING_" (stream names and inboxes)
)

// PermissionsConf renders the nats-server configuration variables holding
// every service's permissions, INCUCHAIN_<SERVICE>_PERMISSIONS, for an
// authorization block's users to refer to. With templated set, namespaces
// are left as placeholders for the Helm chart to fill in.
func PermissionsConf(namespace string, templated bool) string {
	var b strings.Builder
	b.WriteString("# Generated from pkg/bus.ServicePermissions by `make nats-config`; do not edit.\n")
	b.WriteString("# Each Incuchain service may publish only incuchain.<service>.> and declare\n")
	b.WriteString("# only its own stream; the users referring to these variables are defined\n")
	b.WriteString("# next to this file, with their passwords.\n")
	for _, svc := range Services {
		p := ServicePermissions(namespace, svc)
		if templated {
			p = ServicePermissions("", svc)
			p = templatePermissions(p, svc)
		}
		fmt.Fprintf(&b, "\n%s = {\n", PermissionsVar(svc))
		writeList(&b, "publish", p.Publish)
		writeList(&b, "subscribe", p.Subscribe)
		b.WriteString("}\n")
	}
	return b.String()
}

// PermissionsVar is the name of service's permissions variable in
// PermissionsConf.
func PermissionsVar(service string) string {
	return "INCUCHAIN_" + streamToken(service) + "_PERMISSIONS"
}

func templatePermissions(p Permissions, svc string) Permissions {
	own := streamNameFor("", svc)
	subj := events.SubjectPrefix + "." + svc + ".>"
	for i, s := range p.Publish {
		switch s {
		case subj:
			p.Publish[i] = placeholderSubjectNS + s
		case "$JS.API.STREAM.CREATE." + own, "$JS.API.STREAM.UPDATE." + own:
			cut := strings.LastIndexByte(s, '.') + 1
			p.Publish[i] = s[:cut] + placeholderStreamNS + s[cut:]
		}
	}
	p.Subscribe = []string{"_INBOX_" + placeholderStreamNS + streamToken(svc) + ".>"}
	return p
}

func writeList(b *strings.Builder, verb string, subjects []string) {
	fmt.Fprintf(b, "  %s = {\n    allow = [\n", verb)
	for _, s := range subjects {
		fmt.Fprintf(b, "      %q\n", s)
	}
	b.WriteString("    ]\n  }\n")
}
