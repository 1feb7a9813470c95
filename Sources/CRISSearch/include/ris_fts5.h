// FTS5 auxiliary functions of the index (registered on each connection that searches).
#ifndef RIS_FTS5_H
#define RIS_FTS5_H

#include <sqlite3.h>

/// Registers on `db`:
/// - `ris_snippet`: FTS5's `snippet()` (same arguments, same text) that tokenises only the
///   columns holding a match, and each only as far as its last match and the chosen passage.
///   FTS5's own reads every column of every hit in full twice (once to find sentence starts,
///   once to highlight): most of a rare word's search at 10,000 records.
/// - `ris_bm25(table, known, weights...)`: FTS5's `bm25(table, weights...)`, the same score,
///   taking the number of rows that hold the query's phrases from the caller when it knows it
///   (`known`: -1 when every phrase is in more than half of the rows, a count for a query of
///   one phrase, a text of one count per phrase in order with `-` for one not known, NULL to
///   count as bm25() does) instead of counting them on every statement.
/// Returns SQLITE_OK, or the error of finding the FTS5 API.
int ris_fts5_register(sqlite3 *db);

/// Turns off SQLite's memory statistics (`SQLITE_CONFIG_MEMSTATUS`), which take a global mutex
/// on every allocation and release: 3% of the writing thread of a full index. ris reads none of
/// them. Only takes effect before SQLite is initialised (before the first connection opens);
/// returns SQLITE_OK then, SQLITE_MISUSE after (and changes nothing). `sqlite3_config` is
/// variadic, which Swift cannot call.
int ris_sqlite_disable_memory_statistics(void);

#endif
