-- The store schema, dumped from explorer/storage/schema.py (schema_sql); a test keeps it equal.
-- PRAGMA user_version = 3
CREATE TABLE "actor_aliases" (
   "actor_id" INTEGER REFERENCES "actors"("id"),
   "alias" TEXT,
   "lang" TEXT, source_id INTEGER REFERENCES sources(id), translated INTEGER NOT NULL DEFAULT 0 CHECK (translated IN (0, 1)),
   PRIMARY KEY ("actor_id", "alias")
);

CREATE TABLE "actors" (
   "id" INTEGER PRIMARY KEY,
   "key" TEXT NOT NULL,
   "name" TEXT NOT NULL,
   "kind" TEXT NOT NULL,
   "country" TEXT REFERENCES "countries"("code"),
   "role" TEXT,
   "parent_id" INTEGER REFERENCES "actors"("id"),
   "note" TEXT
);

CREATE TABLE "countries" (
   "code" TEXT PRIMARY KEY,
   "name" TEXT NOT NULL
);

CREATE TABLE "densities" (
   "lane_mode" TEXT,
   "lane" TEXT,
   "day" INTEGER,
   "count" INTEGER,
   PRIMARY KEY ("lane_mode", "lane", "day")
);

CREATE TABLE "event_actors" (
   "event_id" INTEGER REFERENCES "events"("id"),
   "actor_id" INTEGER REFERENCES "actors"("id"),
   "role" TEXT,
   PRIMARY KEY ("event_id", "actor_id", "role")
);

CREATE TABLE "event_countries" (
   "event_id" INTEGER REFERENCES "events"("id"),
   "country" TEXT REFERENCES "countries"("code"),
   "role" TEXT,
   PRIMARY KEY ("event_id", "country", "role")
);

CREATE TABLE "event_items" (
   "event_id" INTEGER REFERENCES "events"("id"),
   "item_id" INTEGER REFERENCES "items"("id"),
   PRIMARY KEY ("event_id", "item_id")
);

CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            summary TEXT NOT NULL DEFAULT '',
            kind TEXT NOT NULL CHECK (kind IN ('announcement', 'rule_in_force', 'sanction_listing', 'proposal', 'statement', 'statistic', 'report')),
            status TEXT NOT NULL CHECK (status IN ('proposed', 'announced', 'in_force', 'revoked', 'reported')),
            start TEXT NOT NULL,
            "end" TEXT,
            start_day INTEGER NOT NULL,
            end_day INTEGER NOT NULL CHECK (end_day >= start_day),
            precision TEXT NOT NULL CHECK (precision IN ('day', 'month', 'quarter', 'year')),
            end_precision TEXT CHECK (end_precision IN ('day', 'month', 'quarter', 'year')),
            basis TEXT NOT NULL CHECK (basis IN ('stated', 'inferred', 'external')),
            date_note TEXT NOT NULL DEFAULT '',
            date_source_id INTEGER REFERENCES sources(id),
            lane_country TEXT NOT NULL REFERENCES countries(code),
            lane_agency TEXT NOT NULL,
            topic TEXT NOT NULL DEFAULT '',
            importance INTEGER NOT NULL DEFAULT 1,
            provenance_id INTEGER REFERENCES provenance(id),
            source_line INTEGER,
            measure_id INTEGER REFERENCES measures(id),
            phase TEXT CHECK (phase IN ('proposed', 'announced', 'in_force', 'amended', 'suspended', 'resumed', 'revoked', 'expired'))
        );

CREATE VIRTUAL TABLE events_fts USING fts5(title, summary, quotes, names, items, tokenize='trigram');

CREATE TABLE import_events (
            provenance_id INTEGER NOT NULL REFERENCES provenance(id),
            event_id INTEGER NOT NULL REFERENCES events(id),
            line INTEGER,
            title TEXT,
            summary TEXT,
            date_note TEXT,
            date_source_id INTEGER REFERENCES sources(id),
            targets TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (provenance_id, event_id)
        ) WITHOUT ROWID;

CREATE TABLE import_items (
            event_id INTEGER NOT NULL REFERENCES events(id),
            item_id INTEGER NOT NULL REFERENCES items(id),
            provenance_id INTEGER NOT NULL REFERENCES provenance(id),
            PRIMARY KEY (event_id, item_id, provenance_id)
        ) WITHOUT ROWID;

CREATE TABLE "items" (
   "id" INTEGER PRIMARY KEY,
   "key" TEXT NOT NULL,
   "name" TEXT NOT NULL,
   "list_name" TEXT,
   "tier" INTEGER,
   "note" TEXT
);

CREATE TABLE measure_issuers (
            measure_id INTEGER NOT NULL REFERENCES measures(id),
            actor_id INTEGER NOT NULL REFERENCES actors(id),
            PRIMARY KEY (measure_id, actor_id)
        );

CREATE TABLE measures (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('rule', 'control_list', 'ban', 'listing_programme', 'proposal', 'law')),
            note TEXT NOT NULL DEFAULT ''
        );

CREATE TABLE "meta" (
   "key" TEXT PRIMARY KEY,
   "value" TEXT
);

CREATE TABLE "provenance" (
   "id" INTEGER PRIMARY KEY,
   "file" TEXT NOT NULL,
   "sha256" TEXT NOT NULL,
   "importer" TEXT NOT NULL,
   "rows" INTEGER,
   "imported_at" TEXT,
   "format" TEXT,
   "events" INTEGER,
   "entities" INTEGER
);

CREATE TABLE "quotes" (
   "id" INTEGER PRIMARY KEY,
   "event_id" INTEGER NOT NULL REFERENCES "events"("id"),
   "source_id" INTEGER NOT NULL REFERENCES "sources"("id"),
   "speaker_id" INTEGER REFERENCES "actors"("id"),
   "text" TEXT NOT NULL,
   "start_offset" INTEGER,
   "end_offset" INTEGER
);

CREATE TABLE "relations" (
   "from_id" INTEGER REFERENCES "events"("id"),
   "to_id" INTEGER REFERENCES "events"("id"),
   "kind" TEXT,
   "note" TEXT,
   PRIMARY KEY ("from_id", "to_id", "kind")
);

CREATE TABLE "sources" (
   "id" INTEGER PRIMARY KEY,
   "key" TEXT NOT NULL,
   "title" TEXT NOT NULL,
   "author" TEXT,
   "outlet_id" INTEGER REFERENCES "actors"("id"),
   "language" TEXT,
   "published" TEXT,
   "published_precision" TEXT,
   "url" TEXT,
   "translator" TEXT,
   "retrieved" TEXT,
   "text_file" TEXT,
   "text_sha256" TEXT,
   "note" TEXT
, quality TEXT CHECK (quality IN ('primary', 'established', 'secondary', 'copy')));

CREATE TABLE "views" (
   "name" TEXT PRIMARY KEY,
   "token" TEXT NOT NULL,
   "created" TEXT,
   "updated" TEXT
);

CREATE UNIQUE INDEX "idx_actors_key"
    ON "actors" ("key");

CREATE INDEX "idx_event_actors_actor_id"
    ON "event_actors" ("actor_id");

CREATE INDEX "idx_event_countries_country"
    ON "event_countries" ("country");

CREATE INDEX "idx_event_items_item_id"
    ON "event_items" ("item_id");

CREATE INDEX idx_events_date_source ON events (date_source_id) WHERE date_source_id IS NOT NULL;

CREATE INDEX idx_events_end ON events (end_day);

CREATE INDEX idx_events_long ON events (start_day, end_day, lane_country, lane_agency, kind, status, id) WHERE end_day - start_day > 31;

CREATE INDEX idx_events_measure ON events (measure_id) WHERE measure_id IS NOT NULL;

CREATE INDEX idx_events_window ON events (start_day, end_day, lane_country, lane_agency, kind, status, id);

CREATE INDEX idx_import_events_event ON import_events (event_id);

CREATE UNIQUE INDEX "idx_items_key"
    ON "items" ("key");

CREATE INDEX "idx_quotes_event_id"
    ON "quotes" ("event_id");

CREATE INDEX "idx_quotes_source_id"
    ON "quotes" ("source_id");

CREATE INDEX "idx_relations_to_id"
    ON "relations" ("to_id");

CREATE UNIQUE INDEX "idx_sources_key"
    ON "sources" ("key");
