package platform

import "github.com/incuchain/incuchain/pkg/db"

// Home is where a service keeps its data and where it listens when it runs
// as its own process: the settings every service has, declared once. A
// service's Config embeds it as a group (see pkg/config) that names the
// service and its default address:
//
//	platform.Home `cfg:"PARKS_" name:"parks" addr:"127.0.0.1:8081"`
//
// which declares PARKS_DB, PARKS_DB_SCHEMA and PARKS_ADDR.
type Home struct {
	DB     string `cfg:"DB" default:"sqlite://data/{name}.db" help:"{name} database: postgres://… or sqlite:///path"`
	Schema string `cfg:"DB_SCHEMA" default:"{name}" help:"PostgreSQL schema of the {name} tables"`
	Addr   string `cfg:"ADDR" default:"{addr}" help:"listen address when {name} runs as its own process"`
}

// DBConfig is the service's database.
func (h Home) DBConfig() db.Config { return db.Config{DSN: h.DB, Schema: h.Schema} }
