/*
 * Numbered schema migrations. Each runs once, in order, in its own
 * transaction, when a store is opened; the applied versions are recorded in
 * aims_schema. Never edit a released migration: add a new one. SQL here is
 * the subset SQLite and PostgreSQL share.
 */
#include "store_internal.h"

const aims__migration aims__migrations[] = {
	{ 1, "settings and framework catalogs",
	  "CREATE TABLE settings ("
	  "  key TEXT PRIMARY KEY,"
	  "  value TEXT NOT NULL);"
	  "CREATE TABLE frameworks ("
	  "  id TEXT PRIMARY KEY,"
	  "  title TEXT NOT NULL,"
	  "  version TEXT NOT NULL,"
	  "  publisher TEXT NOT NULL,"
	  "  source TEXT NOT NULL,"
	  "  licence TEXT NOT NULL,"
	  "  notes TEXT,"
	  "  digest TEXT NOT NULL,"
	  "  loaded_at TEXT NOT NULL);"
	  "CREATE TABLE requirements ("
	  "  framework TEXT NOT NULL REFERENCES frameworks(id),"
	  "  id TEXT NOT NULL,"
	  "  seq INTEGER NOT NULL,"
	  "  kind TEXT NOT NULL,"
	  "  title TEXT NOT NULL,"
	  "  parent TEXT,"
	  "  summary TEXT,"
	  "  body TEXT,"
	  "  chapter TEXT,"
	  "  PRIMARY KEY (framework, id));"
	  "CREATE INDEX requirements_seq ON requirements(framework, seq);"
	  "CREATE INDEX requirements_parent ON requirements(framework, parent);" },
};

const size_t aims__migration_count = sizeof(aims__migrations) / sizeof(aims__migrations[0]);
