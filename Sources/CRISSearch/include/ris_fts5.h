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
///   `known` may also be a `RISRankTally` (bound with `sqlite3_bind_pointer` and the type
///   `RIS_RANK_TALLY`): see there.
/// Returns SQLITE_OK, or the error of finding the FTS5 API.
int ris_fts5_register(sqlite3 *db);

/// The pointer type of a `RISRankTally` bound as `ris_bm25`'s `known`.
#define RIS_RANK_TALLY "ris_rank_tally"
/// The error message of a statement stopped by a tally's `limit`.
#define RIS_RANK_TALLY_EXCEEDED "ris_bm25: more rows than the tally's limit"

/// Scores a query of one phrase (SQLITE_MISUSE for more) in one pass, counting its rows as it
/// goes: `ris_bm25` given a tally scores each row with an IDF of 1 (the order is the same: a
/// one-phrase score is the IDF times a part of its own, and multiplying by a positive number
/// keeps the order, though rounding may make two parts one score), notes
/// the table's rows in `rows` and each row scored in `scored`, and stops the statement with
/// `RIS_RANK_TALLY_EXCEEDED` when `scored` passes `limit`. The caller then multiplies each
/// score by `ris_bm25_idf(rows, scored)`: bm25()'s score, bit for bit. Statements reading parts
/// of one query at once, on several threads, may share a tally: it is counted atomically (the
/// caller reads it once they are done).
typedef struct {
    sqlite3_int64 rows;
    sqlite3_int64 scored;
    sqlite3_int64 limit;
} RISRankTally;

/// bm25()'s IDF of a phrase that `hits` of `rows` rows hold (at least 1e-6).
double ris_bm25_idf(sqlite3_int64 rows, sqlite3_int64 hits);

/// Binds `tally` as parameter `index` of `statement` (with the static type name SQLite asks
/// for, which a Swift string cannot give). `tally` must outlive the statement's steps.
int ris_bind_rank_tally(sqlite3_stmt *statement, int index, RISRankTally *tally);

/// Turns off SQLite's memory statistics (`SQLITE_CONFIG_MEMSTATUS`), which take a global mutex
/// on every allocation and release: 3% of the writing thread of a full index. ris reads none of
/// them. Only takes effect before SQLite is initialised (before the first connection opens);
/// returns SQLITE_OK then, SQLITE_MISUSE after (and changes nothing). `sqlite3_config` is
/// variadic, which Swift cannot call.
int ris_sqlite_disable_memory_statistics(void);

#endif
