import GRDB

/// The index's schema. Migrations are frozen: a change is a new migration, never an edit.
/// The index is derived from the markdown, so an index whose migrations differ from these
/// is deleted and rebuilt rather than repaired.
enum Schema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE document (
                        docId INTEGER PRIMARY KEY,
                        path TEXT NOT NULL UNIQUE,
                        risId TEXT NOT NULL,
                        title TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        date TEXT,
                        severity TEXT,
                        status TEXT,
                        project TEXT,
                        resolutionMinutes INTEGER,
                        shape TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        modified INTEGER NOT NULL,
                        sha256 TEXT NOT NULL,
                        errorCount INTEGER NOT NULL,
                        warningCount INTEGER NOT NULL,
                        indexedAt TEXT NOT NULL
                    );
                    CREATE INDEX document_risId ON document(risId COLLATE NOCASE);
                    CREATE INDEX document_date ON document(date);

                    CREATE TABLE complianceValue (
                        docId INTEGER NOT NULL REFERENCES document(docId) ON DELETE CASCADE,
                        framework TEXT NOT NULL,
                        key TEXT NOT NULL,
                        value TEXT NOT NULL,
                        line INTEGER NOT NULL
                    );
                    CREATE INDEX complianceValue_docId ON complianceValue(docId);

                    CREATE TABLE control (
                        docId INTEGER NOT NULL REFERENCES document(docId) ON DELETE CASCADE,
                        framework TEXT NOT NULL,
                        control TEXT NOT NULL,
                        line INTEGER NOT NULL
                    );
                    CREATE INDEX control_docId ON control(docId);
                    CREATE INDEX control_control ON control(control COLLATE NOCASE);

                    CREATE TABLE field (
                        docId INTEGER NOT NULL REFERENCES document(docId) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        value TEXT NOT NULL,
                        line INTEGER NOT NULL,
                        placement TEXT NOT NULL
                    );
                    CREATE INDEX field_docId ON field(docId);

                    CREATE TABLE section (
                        docId INTEGER NOT NULL REFERENCES document(docId) ON DELETE CASCADE,
                        level INTEGER NOT NULL,
                        heading TEXT NOT NULL,
                        line INTEGER NOT NULL
                    );
                    CREATE INDEX section_docId ON section(docId);

                    CREATE TABLE timelineEvent (
                        docId INTEGER NOT NULL REFERENCES document(docId) ON DELETE CASCADE,
                        time TEXT NOT NULL,
                        event TEXT NOT NULL,
                        line INTEGER NOT NULL
                    );
                    CREATE INDEX timelineEvent_docId ON timelineEvent(docId);

                    CREATE TABLE hotPattern (
                        docId INTEGER NOT NULL REFERENCES document(docId) ON DELETE CASCADE,
                        title TEXT NOT NULL,
                        keywords TEXT NOT NULL,
                        symptom TEXT NOT NULL,
                        rootCause TEXT NOT NULL,
                        solution TEXT NOT NULL,
                        related TEXT NOT NULL,
                        hitCount INTEGER,
                        lastUsed TEXT,
                        line INTEGER NOT NULL
                    );
                    CREATE INDEX hotPattern_docId ON hotPattern(docId);

                    CREATE TABLE tag (
                        docId INTEGER NOT NULL REFERENCES document(docId) ON DELETE CASCADE,
                        tag TEXT NOT NULL
                    );
                    CREATE INDEX tag_docId ON tag(docId);

                    CREATE TABLE link (
                        docId INTEGER NOT NULL REFERENCES document(docId) ON DELETE CASCADE,
                        text TEXT NOT NULL,
                        target TEXT NOT NULL,
                        line INTEGER NOT NULL,
                        external BOOLEAN NOT NULL
                    );
                    CREATE INDEX link_docId ON link(docId);

                    CREATE TABLE diagnostic (
                        docId INTEGER NOT NULL REFERENCES document(docId) ON DELETE CASCADE,
                        severity TEXT NOT NULL,
                        line INTEGER NOT NULL,
                        "column" INTEGER NOT NULL,
                        message TEXT NOT NULL
                    );
                    CREATE INDEX diagnostic_docId ON diagnostic(docId);

                    CREATE VIRTUAL TABLE documentSearch USING fts5(
                        risId, title, keywords, symptom, body, code,
                        tokenize = 'porter unicode61 remove_diacritics 2'
                    );
                    INSERT INTO documentSearch(documentSearch, rank) VALUES('rank', 'bm25(10.0, 8.0, 6.0, 3.0, 1.0, \
                    1.0)');
                    """)
        }
        migrator.registerMigration("v2") { db in
            // What parsed the rows (the parser's version and the aliases): a change re-reads
            // every file. Frameworks that apply (a `soc2: true` has no control to find it by),
            // compliance attributes (`audit_trail`), and records read around a YAML error.
            try db.execute(
                sql: """
                    CREATE TABLE indexInfo (
                        key TEXT PRIMARY KEY,
                        value TEXT NOT NULL
                    );

                    CREATE TABLE framework (
                        docId INTEGER NOT NULL REFERENCES document(docId) ON DELETE CASCADE,
                        name TEXT NOT NULL,
                        line INTEGER NOT NULL
                    );
                    CREATE INDEX framework_docId ON framework(docId);
                    CREATE INDEX framework_name ON framework(name COLLATE NOCASE);

                    CREATE TABLE complianceAttribute (
                        docId INTEGER NOT NULL REFERENCES document(docId) ON DELETE CASCADE,
                        key TEXT NOT NULL,
                        value TEXT NOT NULL,
                        line INTEGER NOT NULL
                    );
                    CREATE INDEX complianceAttribute_docId ON complianceAttribute(docId);

                    ALTER TABLE document ADD COLUMN salvaged BOOLEAN NOT NULL DEFAULT 0;
                    """)
        }
        migrator.registerMigration("v3") { db in
            // Whether reads of a record are audited, decided once by `AccessPolicy` (failing
            // closed on an unreadable compliance block); the status-change time and inode
            // beside size and mtime, so that a copy keeping both (`cp -p`) is read again.
            try db.execute(
                sql: """
                    ALTER TABLE document ADD COLUMN auditRequired BOOLEAN NOT NULL DEFAULT 1;
                    ALTER TABLE document ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE document ADD COLUMN inode INTEGER NOT NULL DEFAULT 0;
                    """)
        }
        migrator.registerMigration("v4") { db in
            // Each diagnostic's stable code (DiagnosticCode). Rows of an earlier ris have none:
            // the parser's version moved with it, so the next refresh reads every file again.
            try db.execute(sql: "ALTER TABLE diagnostic ADD COLUMN code TEXT NOT NULL DEFAULT ''")
        }
        migrator.registerMigration("v5") { db in
            // The count of documents with errors, asked by every refresh, reads only those.
            try db.execute(sql: "CREATE INDEX document_withErrors ON document(errorCount) WHERE errorCount > 0")
        }
        migrator.registerMigration("v6") { db in
            // Every refresh compares the walk with (path, size, mtime, ctime, inode) in path
            // order: from this index alone, without reading the wide document rows.
            try db.execute(sql: "CREATE INDEX document_stat ON document(path, size, modified, changed, inode)")
        }
        migrator.registerMigration("v7") { db in
            // `ris match` ranks hot patterns one by one (the hot-patterns file is one document),
            // and weighs a log's words by how many documents hold them (the FTS5 vocabulary).
            // Rows follow `hotPattern` by its rowid (the indexer writes both; nothing VACUUMs).
            try db.execute(
                sql: """
                    CREATE VIRTUAL TABLE hotPatternSearch USING fts5(
                        title, keywords, symptom, rootCause,
                        tokenize = 'porter unicode61 remove_diacritics 2'
                    );
                    INSERT INTO hotPatternSearch(hotPatternSearch, rank) VALUES('rank', 'bm25(8.0, 10.0, 6.0, 2.0)');
                    INSERT INTO hotPatternSearch (rowid, title, keywords, symptom, rootCause)
                        SELECT rowid, title, keywords, symptom, rootCause FROM hotPattern;
                    CREATE VIRTUAL TABLE documentSearchVocabulary USING fts5vocab(documentSearch, 'row');
                    """)
        }
        migrator.registerMigration("v8") { db in
            // Which documents hold an indexed word (a stem, which MATCH would stem again): a
            // spelling suggestion must be a word of a record whose reads are not audited.
            try db.execute(
                sql: "CREATE VIRTUAL TABLE documentSearchInstances USING fts5vocab(documentSearch, 'instance')")
        }
        migrator.registerMigration("v9") { db in
            // A row per heading (14 per record, 28% of the rows a full index wrote) served one
            // query: the line of a record's Symptom section, which `ris match` shows. That line
            // is a column now, filled from the rows before they go.
            try db.execute(
                sql: """
                    ALTER TABLE document ADD COLUMN symptomLine INTEGER;
                    UPDATE document SET symptomLine = (
                        SELECT min(line) FROM section x WHERE x.docId = document.docId AND x.heading LIKE '%symptom%');
                    DROP TABLE section;
                    """)
        }
        migrator.registerMigration("v10") { db in
            // `ris stats` counts incidents by category, and groups repeats by the normalised first
            // line of their symptom (`IncidentStatistics.symptomKey`): columns, like severity,
            // filled when the files are read again (the parser's version moved with it). Grouping
            // the symptoms as they are stored cost ris stats 100 ms of 10,000 records. The indexes
            // find the shared keys without reading a row (then only those keys' records are read).
            try db.execute(
                sql: """
                    ALTER TABLE document ADD COLUMN category TEXT;
                    ALTER TABLE document ADD COLUMN symptomKey TEXT;
                    CREATE INDEX document_symptomKey ON document(symptomKey) WHERE symptomKey IS NOT NULL;
                    CREATE INDEX hotPattern_titleKey ON hotPattern(lower(trim(title)), docId);
                    """)
        }
        migrator.registerMigration("v11") { db in
            // A query read in two halves on two connections (`rankedInOnePass`) trusts that every
            // writer of this schema stamps a new `generation` when it changes documents. A ris
            // before this one did not: it takes this index for another version's and rebuilds it.
            // An index migrated here gets its first generation.
            try IndexStore.stampGeneration(db)
        }
        migrator.registerMigration("v12") { db in
            // FTS5 holds the terms of the rows it is given in memory and writes them out as a
            // segment when they reach `hashsize` (1 MB by default), then merges the segments
            // four by four. At 8 MB a full index of 10,000 records writes about an eighth of the
            // segments and merges them less often: its wall time 1,667 -> 1,554 ms, for about
            // 10 MB more memory at the peak. (A setting stored in the table: it can run twice.)
            try db.execute(sql: "INSERT INTO documentSearch(documentSearch, rank) VALUES('hashsize', 8388608)")
        }
        migrator.registerMigration("v13") { db in
            // No query reads these two: `--control` and `--framework` ask, for each document, for
            // its own rows (`EXISTS ... WHERE docId = d.docId`), which the docId indexes find. Each
            // of a full index's 90,000 rows of 10,000 records was also put, in NOCASE order, into
            // one of them: about 50 ms of CPU, 2% of the build.
            try db.execute(sql: "DROP INDEX IF EXISTS control_control; DROP INDEX IF EXISTS framework_name")
        }
        return migrator
    }

    /// The tokenizer of `documentSearch` and `hotPatternSearch` (`porter unicode61
    /// remove_diacritics 2`), to find the indexed form (the stem) of a word.
    static func searchTokenizer(_ db: Database) throws -> any FTS5Tokenizer {
        try db.makeTokenizer(.porter(wrapping: .unicode61(diacritics: .remove)))
    }

    /// Columns of `documentSearch`, in order, for field filters in queries.
    static let searchColumns = ["risId", "title", "keywords", "symptom", "body", "code"]
}
