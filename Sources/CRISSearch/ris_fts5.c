// `ris_snippet`: FTS5's snippet() (ext/fts5/fts5_aux.c of SQLite, public domain) with the same
// choice of passage and the same output, reading less. The built-in tokenises every column of
// the row in full to find where sentences start, scores windows around each phrase instance,
// then tokenises the chosen column in full again to copy the passage. Sentence starts matter
// only before a column's last instance, and the copy ends with the passage: this version
// tokenises only columns with instances, each up to its last instance, and stops the copy at
// the end of the passage. A test compares both on every hit of many queries.
#include "ris_fts5.h"

#include <math.h>
#include <string.h>

/// Returned by a token callback to stop the tokenizer: unicode61 turns it into SQLITE_OK.
#define RIS_STOP SQLITE_DONE

/// Sentence starts of one column: token offsets whose preceding text ends with `.` or `:`
/// and white space (and offset 0), up to `lastPosition`.
typedef struct {
    const char *text;
    int position;
    int lastPosition;
    int count;
    int capacity;
    int *starts;
} SentenceFinder;

static int sentence_add(SentenceFinder *finder, int position) {
    if (finder->count == finder->capacity) {
        int capacity = finder->capacity ? finder->capacity * 2 : 64;
        int *starts = sqlite3_realloc64(finder->starts, (sqlite3_uint64)capacity * sizeof(int));
        if (!starts) return SQLITE_NOMEM;
        finder->starts = starts;
        finder->capacity = capacity;
    }
    finder->starts[finder->count++] = position;
    return SQLITE_OK;
}

static int sentence_token(void *context, int flags, const char *token, int tokenLength, int start, int end) {
    (void)token;
    (void)tokenLength;
    (void)end;
    if (flags & FTS5_TOKEN_COLOCATED) return SQLITE_OK;
    SentenceFinder *finder = context;
    if (finder->position > finder->lastPosition) return RIS_STOP;
    int rc = SQLITE_OK;
    if (finder->position > 0) {
        int i;
        char c = 0;
        for (i = start - 1; i >= 0; i--) {
            c = finder->text[i];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
        }
        if (i != start - 1 && (c == '.' || c == ':')) rc = sentence_add(finder, finder->position);
    } else {
        rc = sentence_add(finder, 0);
    }
    finder->position++;
    return rc;
}

/// FTS5's fts5SnippetScore: the score of the window of `tokens` tokens from `position` in
/// column `column` (1000 per distinct phrase, 1 per repeat), and where to start it so that its
/// instances sit in its middle.
static int window_score(const Fts5ExtensionApi *api, Fts5Context *fts, int columnSize, unsigned char *seen,
                        int column, int position, int tokens, int *score, int *adjusted) {
    int instances = 0;
    int rc = api->xInstCount(fts, &instances);
    int first = -1, last = 0, total = 0;
    sqlite3_int64 end = (sqlite3_int64)position + tokens;
    for (int i = 0; i < instances && rc == SQLITE_OK; i++) {
        int phrase = 0, col = 0, offset = 0;
        rc = api->xInst(fts, i, &phrase, &col, &offset);
        if (rc == SQLITE_OK && col == column && offset >= position && offset < end) {
            total += seen[phrase] ? 1 : 1000;
            seen[phrase] = 1;
            if (first < 0) first = offset;
            last = offset + api->xPhraseSize(fts, phrase);
        }
    }
    *score = total;
    if (adjusted) {
        sqlite3_int64 start = first - (tokens - (last - first)) / 2;
        if (start + tokens > columnSize) start = columnSize - tokens;
        if (start < 0) start = 0;
        *adjusted = (int)start;
    }
    return rc;
}

/// FTS5's CInstIter: the phrase instances of one column, overlapping ones merged.
typedef struct {
    const Fts5ExtensionApi *api;
    Fts5Context *fts;
    int column;
    int next;
    int count;
    int start;
    int end;
} InstanceIterator;

static int instance_next(InstanceIterator *iterator) {
    int rc = SQLITE_OK;
    iterator->start = -1;
    iterator->end = -1;
    while (rc == SQLITE_OK && iterator->next < iterator->count) {
        int phrase = 0, column = 0, offset = 0;
        rc = iterator->api->xInst(iterator->fts, iterator->next, &phrase, &column, &offset);
        if (rc == SQLITE_OK) {
            if (column == iterator->column) {
                int end = offset - 1 + iterator->api->xPhraseSize(iterator->fts, phrase);
                if (iterator->start < 0) {
                    iterator->start = offset;
                    iterator->end = end;
                } else if (offset <= iterator->end) {
                    if (end > iterator->end) iterator->end = end;
                } else {
                    break;
                }
            }
            iterator->next++;
        }
    }
    return rc;
}

static int instance_init(const Fts5ExtensionApi *api, Fts5Context *fts, int column, InstanceIterator *iterator) {
    memset(iterator, 0, sizeof(*iterator));
    iterator->api = api;
    iterator->fts = fts;
    iterator->column = column;
    int rc = api->xInstCount(fts, &iterator->count);
    if (rc == SQLITE_OK) rc = instance_next(iterator);
    return rc;
}

/// FTS5's HighlightContext, copying the tokens from `rangeStart` to `rangeEnd`.
typedef struct {
    InstanceIterator iterator;
    int position;
    int rangeStart;
    int rangeEnd;
    const char *open;
    const char *close;
    const char *input;
    int inputLength;
    int offset;
    sqlite3_str *output;
} Highlight;

static void append(Highlight *highlight, const char *text, int length) {
    if (length < 0) length = (int)strlen(text);
    if (length > 0) sqlite3_str_append(highlight->output, text, length);
}

static int highlight_token(void *context, int flags, const char *token, int tokenLength, int start, int end) {
    (void)token;
    (void)tokenLength;
    Highlight *p = context;
    int rc = SQLITE_OK;
    if (flags & FTS5_TOKEN_COLOCATED) return SQLITE_OK;
    int position = p->position++;
    if (p->rangeEnd >= 0) {
        if (position > p->rangeEnd) return RIS_STOP;  // past the passage: nothing more is copied
        if (position < p->rangeStart) return SQLITE_OK;
        if (p->rangeStart && position == p->rangeStart) p->offset = start;
    }
    if (position == p->iterator.start) {
        append(p, &p->input[p->offset], start - p->offset);
        append(p, p->open, -1);
        p->offset = start;
    }
    if (position == p->iterator.end) {
        if (p->rangeEnd >= 0 && p->iterator.start < p->rangeStart) append(p, p->open, -1);
        append(p, &p->input[p->offset], end - p->offset);
        append(p, p->close, -1);
        p->offset = end;
        rc = instance_next(&p->iterator);
    }
    if (p->rangeEnd >= 0 && position == p->rangeEnd) {
        append(p, &p->input[p->offset], end - p->offset);
        p->offset = end;
        if (position >= p->iterator.start && position < p->iterator.end) append(p, p->close, -1);
    }
    return rc;
}

static const char *value_text(sqlite3_value *value) {
    const char *text = (const char *)sqlite3_value_text(value);
    return text ? text : "";
}

/// ris_snippet(table, column, open, close, ellipsis, tokens): snippet() of FTS5.
static void ris_snippet(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *result, int argumentCount,
                        sqlite3_value **arguments) {
    if (argumentCount != 5) {
        sqlite3_result_error(result, "wrong number of arguments to function ris_snippet()", -1);
        return;
    }
    int columns = api->xColumnCount(fts);
    int column = sqlite3_value_int(arguments[0]);
    const char *ellipsis = value_text(arguments[3]);
    int tokens = sqlite3_value_int(arguments[4]);
    Highlight highlight;
    memset(&highlight, 0, sizeof(highlight));
    highlight.open = value_text(arguments[1]);
    highlight.close = value_text(arguments[2]);

    int bestColumn = column >= 0 ? column : 0;
    int bestStart = 0, bestScore = 0, columnSize = 0;
    int phrases = api->xPhraseCount(fts);
    int instances = 0;
    int rc = SQLITE_OK;
    unsigned char *seen = sqlite3_malloc64(phrases > 0 ? (sqlite3_uint64)phrases : 1);
    if (!seen) rc = SQLITE_NOMEM;
    if (rc == SQLITE_OK) rc = api->xInstCount(fts, &instances);

    SentenceFinder finder;
    memset(&finder, 0, sizeof(finder));
    for (int i = 0; i < columns && rc == SQLITE_OK; i++) {
        if (column >= 0 && column != i) continue;
        // The column's last instance: none, and no window of it can score.
        int lastInstance = -1;
        for (int j = 0; j < instances && rc == SQLITE_OK; j++) {
            int phrase = 0, col = 0, offset = 0;
            rc = api->xInst(fts, j, &phrase, &col, &offset);
            if (col == i && offset > lastInstance) lastInstance = offset;
        }
        if (rc != SQLITE_OK || lastInstance < 0) continue;
        int length = 0, size = 0;
        finder.position = 0;
        finder.count = 0;
        finder.lastPosition = lastInstance;
        rc = api->xColumnText(fts, i, &finder.text, &length);
        if (rc == SQLITE_OK) rc = api->xTokenize(fts, finder.text, length, &finder, sentence_token);
        if (rc == RIS_STOP) rc = SQLITE_OK;
        if (rc == SQLITE_OK) rc = api->xColumnSize(fts, i, &size);
        for (int j = 0; j < instances && rc == SQLITE_OK; j++) {
            int phrase = 0, col = 0, offset = 0, score = 0, adjusted = 0;
            rc = api->xInst(fts, j, &phrase, &col, &offset);
            if (col != i) continue;
            if (offset > size) rc = SQLITE_CORRUPT_VTAB;
            if (rc != SQLITE_OK) continue;
            memset(seen, 0, (size_t)phrases);
            rc = window_score(api, fts, size, seen, i, offset, tokens, &score, &adjusted);
            if (rc == SQLITE_OK && score > bestScore) {
                bestScore = score;
                bestColumn = i;
                bestStart = adjusted;
                columnSize = size;
            }
            if (rc == SQLITE_OK && finder.count && size > tokens) {
                int k;
                for (k = 0; k < finder.count - 1; k++) {
                    if (finder.starts[k + 1] > offset) break;
                }
                if (finder.starts[k] < offset) {
                    memset(seen, 0, (size_t)phrases);
                    rc = window_score(api, fts, size, seen, i, finder.starts[k], tokens, &score, 0);
                    score += finder.starts[k] == 0 ? 120 : 100;
                    if (rc == SQLITE_OK && score > bestScore) {
                        bestScore = score;
                        bestColumn = i;
                        bestStart = finder.starts[k];
                        columnSize = size;
                    }
                }
            }
        }
    }
    sqlite3_free(finder.starts);
    sqlite3_free(seen);

    if (rc == SQLITE_OK) rc = api->xColumnText(fts, bestColumn, &highlight.input, &highlight.inputLength);
    if (rc == SQLITE_OK && columnSize == 0) rc = api->xColumnSize(fts, bestColumn, &columnSize);
    if (rc == SQLITE_OK && highlight.input) {
        highlight.output = sqlite3_str_new(0);
        rc = instance_init(api, fts, bestColumn, &highlight.iterator);
        highlight.rangeStart = bestStart;
        highlight.rangeEnd = bestStart + tokens - 1;
        if (bestStart > 0) append(&highlight, ellipsis, -1);
        while (highlight.iterator.start >= 0 && highlight.iterator.start < bestStart && rc == SQLITE_OK) {
            rc = instance_next(&highlight.iterator);
        }
        if (rc == SQLITE_OK) {
            rc = api->xTokenize(fts, highlight.input, highlight.inputLength, &highlight, highlight_token);
            if (rc == RIS_STOP) rc = SQLITE_OK;
        }
        if (highlight.rangeEnd >= columnSize - 1) {
            append(&highlight, &highlight.input[highlight.offset], highlight.inputLength - highlight.offset);
        } else {
            append(&highlight, ellipsis, -1);
        }
        if (rc == SQLITE_OK) rc = sqlite3_str_errcode(highlight.output);
        int length = sqlite3_str_length(highlight.output);
        char *text = sqlite3_str_finish(highlight.output);
        if (rc == SQLITE_OK) {
            if (text) {
                sqlite3_result_text(result, text, length, sqlite3_free);
                text = 0;
            } else {
                sqlite3_result_text(result, "", 0, SQLITE_STATIC);
            }
        }
        sqlite3_free(text);
    }
    if (rc != SQLITE_OK) sqlite3_result_error_code(result, rc);
}

double ris_bm25_idf(sqlite3_int64 rows, sqlite3_int64 hits) {
    // A count beyond the rows (a caller's mistake) must not make the score NaN (NULL in SQL).
    if (hits > rows) hits = rows;
    if (hits < 0) hits = 0;
    double idf = log((rows - hits + 0.5) / (hits + 0.5));
    return idf <= 0.0 ? 1e-6 : idf;
}

/// What bm25() computes once per query: the average row length and each phrase's IDF.
typedef struct {
    int phrases;
    double averageLength;
    double *idf;
    double *frequency;
} RankData;

static int count_row(const Fts5ExtensionApi *api, Fts5Context *fts, void *context) {
    (void)api;
    (void)fts;
    (*(sqlite3_int64 *)context)++;
    return SQLITE_OK;
}

/// The count `known` gives phrase `index` when it is a list ("12 9870 - 5": one entry per
/// phrase in the query's order, `-` for one to count), or -1 when it gives none.
static sqlite3_int64 listed_rows(const unsigned char *list, int index) {
    if (!list) return -1;
    const unsigned char *at = list;
    for (int entry = 0;; entry++) {
        while (*at == ' ') at++;
        if (!*at) return -1;
        if (entry == index) {
            if (*at < '0' || *at > '9') return -1;
            sqlite3_int64 value = 0;
            while (*at >= '0' && *at <= '9' && value < ((sqlite3_int64)1 << 56)) value = value * 10 + (*at++ - '0');
            return value;
        }
        while (*at && *at != ' ') at++;
    }
}

/// FTS5's fts5Bm25GetData, except for the rows holding each phrase when the caller knows
/// them: `known` -1, every phrase is in more than half of the rows (its IDF is FTS5's floor);
/// `known` >= 0 and one phrase, it is in that many rows; `known` a text, the rows of each
/// phrase in turn (`listed_rows`); `known` a tally, an IDF of 1 (RISRankTally); otherwise
/// (NULL, or `-` in the list) the phrase is counted by running it as a query, as bm25() does.
static int rank_data(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_value *known, RankData **out) {
    int rc = SQLITE_OK;
    RankData *data = api->xGetAuxdata(fts, 0);
    if (data) {
        *out = data;
        return SQLITE_OK;
    }
    int phrases = api->xPhraseCount(fts);
    data = sqlite3_malloc64(sizeof(RankData) + (sqlite3_uint64)phrases * 2 * sizeof(double));
    if (!data) return SQLITE_NOMEM;
    memset(data, 0, sizeof(RankData) + (size_t)phrases * 2 * sizeof(double));
    data->phrases = phrases;
    data->idf = (double *)&data[1];
    data->frequency = &data->idf[phrases];
    sqlite3_int64 rows = 0, tokens = 0;
    rc = api->xRowCount(fts, &rows);
    if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
    if (rc == SQLITE_OK) data->averageLength = (double)tokens / (double)rows;
    // A tally (a pointer, NULL to SQL): the phrase's IDF is 1, the caller multiplies after. A
    // score of several phrases is a sum of such products: it cannot be multiplied after.
    RISRankTally *tally = sqlite3_value_pointer(known, RIS_RANK_TALLY);
    if (rc == SQLITE_OK && tally && phrases != 1) rc = SQLITE_MISUSE;
    if (tally) __atomic_store_n(&tally->rows, rows, __ATOMIC_RELAXED);
    const unsigned char *list = sqlite3_value_type(known) == SQLITE_TEXT ? sqlite3_value_text(known) : 0;
    int hasKnown = !list && sqlite3_value_type(known) != SQLITE_NULL;
    sqlite3_int64 knownRows = sqlite3_value_int64(known);
    for (int i = 0; rc == SQLITE_OK && i < phrases; i++) {
        sqlite3_int64 hits = 0;
        sqlite3_int64 listed = listed_rows(list, i);
        if (tally) {
            data->idf[i] = 1.0;
            continue;
        }
        if (listed >= 0) {
            hits = listed;
        } else if (hasKnown && knownRows < 0) {
            hits = rows;
        } else if (hasKnown && phrases == 1) {
            hits = knownRows;
        } else {
            rc = api->xQueryPhrase(fts, i, &hits, count_row);
        }
        if (rc == SQLITE_OK) data->idf[i] = ris_bm25_idf(rows, hits);
    }
    if (rc == SQLITE_OK) rc = api->xSetAuxdata(fts, data, sqlite3_free);
    else sqlite3_free(data);
    if (rc == SQLITE_OK) *out = data;
    return rc;
}

/// ris_bm25(table, known, weight...): FTS5's bm25(table, weight...), the same score to the
/// bit, without counting again the rows of the query's phrases when the caller knows them
/// (see rank_data; `ris match` knows each word's rows, it weighs the words by them): bm25()
/// runs each phrase as a query over the whole index for its IDF, on every statement. A search
/// that scores its 20 newest matches one statement each counted a common word's rows 20
/// times; a phrase's rows are counted once already to decide how to order it.
static void ris_bm25(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *result, int argumentCount,
                     sqlite3_value **arguments) {
    const double k1 = 1.2;
    const double b = 0.75;
    if (argumentCount < 1) {
        sqlite3_result_error(result, "wrong number of arguments to function ris_bm25()", -1);
        return;
    }
    RankData *data = 0;
    int instances = 0;
    double score = 0.0;
    RISRankTally *tally = sqlite3_value_pointer(arguments[0], RIS_RANK_TALLY);
    // Atomic: the statements of a query split in two count into one tally, from two threads.
    if (tally && __atomic_add_fetch(&tally->scored, 1, __ATOMIC_RELAXED) > tally->limit) {
        // More rows than the caller will rank: it stops here, and orders them another way.
        sqlite3_result_error(result, RIS_RANK_TALLY_EXCEEDED, -1);
        return;
    }
    int rc = rank_data(api, fts, arguments[0], &data);
    if (rc == SQLITE_OK) {
        memset(data->frequency, 0, sizeof(double) * (size_t)data->phrases);
        rc = api->xInstCount(fts, &instances);
    }
    for (int i = 0; rc == SQLITE_OK && i < instances; i++) {
        int phrase = 0, column = 0, offset = 0;
        rc = api->xInst(fts, i, &phrase, &column, &offset);
        if (rc == SQLITE_OK) {
            double weight = (argumentCount - 1 > column) ? sqlite3_value_double(arguments[column + 1]) : 1.0;
            data->frequency[phrase] += weight;
        }
    }
    double length = 0.0;
    if (rc == SQLITE_OK) {
        int tokens = 0;
        rc = api->xColumnSize(fts, -1, &tokens);
        length = (double)tokens;
    }
    for (int i = 0; rc == SQLITE_OK && i < data->phrases; i++) {
        score += data->idf[i] * ((data->frequency[i] * (k1 + 1.0)) /
                                 (data->frequency[i] + k1 * (1 - b + b * length / data->averageLength)));
    }
    if (rc == SQLITE_OK) sqlite3_result_double(result, -1.0 * score);
    else sqlite3_result_error_code(result, rc);
}

int ris_bind_rank_tally(sqlite3_stmt *statement, int index, RISRankTally *tally) {
    return sqlite3_bind_pointer(statement, index, tally, RIS_RANK_TALLY, 0);
}

int ris_sqlite_disable_memory_statistics(void) { return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

int ris_fts5_register(sqlite3 *db) {
    fts5_api *fts = 0;
    sqlite3_stmt *statement = 0;
    int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &statement, 0);
    if (rc != SQLITE_OK) return rc;
    sqlite3_bind_pointer(statement, 1, (void *)&fts, "fts5_api_ptr", 0);
    sqlite3_step(statement);
    rc = sqlite3_finalize(statement);
    if (rc != SQLITE_OK) return rc;
    if (!fts || fts->iVersion < 2) return SQLITE_ERROR;
    rc = fts->xCreateFunction(fts, "ris_snippet", 0, ris_snippet, 0);
    if (rc == SQLITE_OK) rc = fts->xCreateFunction(fts, "ris_bm25", 0, ris_bm25, 0);
    return rc;
}
