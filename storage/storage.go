// Package storage is the model of Tidings: the domain types, the rules that
// keep them true, and their persistence in SQLite. Every exported operation
// runs in one transaction and either applies all of its changes or none.
package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// DB is the Tidings database: one connection that writes and a pool of
// connections that only read, both on the same SQLite file in WAL mode.
type DB struct {
	path   string
	writer *sql.DB
	reader *sql.DB
	ids    *idSource

	// hashing caps the password hashes running at once.
	hashing hashGate
	// writes gathers the write transactions asked for together into one
	// commit.
	writes writeGroup
	// writerSyncsLazily is the writer's synchronous setting last made
	// (see syncCommitsFor).
	writerSyncsLazily bool
	writerUse         writerUse
	hostsUp           hostsSeenUp // see HostAnswered
	// domains is the domain blocks in memory.
	domains domainSet
	// statements are the compiled statements of the hot queries.
	statements statements
	// writerStatements are the statements of write transactions, kept
	// compiled on the writer connection.
	writerStatements writerStatements
	// changes counts the commits that may change public documents.
	changes changeGeneration
	// actors is the remote actors in memory, by key id.
	actors actorCache
	// onOutbox is called after commits that queued outbox events.
	onOutbox atomic.Pointer[func()]
	// onChange is told of the changes open streams show (OnChange).
	onChange atomic.Pointer[func(Change)]

	// Now returns the current time; tests replace it to make time stand still.
	Now func() time.Time

	// Registration is the instance's registration mode, applied by Register.
	Registration RegistrationMode

	// Site is the instance's public address, from which local ids are made.
	Site Site

	// StarterSubwikis are the names of the subwikis new members join.
	StarterSubwikis []string

	// Corrections is the instance's rule for headline corrections.
	Corrections CorrectionPolicy

	// Admission is how people get past the waiting list, and how many
	// each member may invite.
	Admission AdmissionPolicy

	// SendsMail is whether the instance has mail set up: without it no
	// mail is queued, and resetting a password by email is refused.
	SendsMail bool
}

// pragmas are set on every connection through the DSN, so that each pooled
// connection has them, not only the first.
const pragmas = "_pragma=busy_timeout(10000)" +
	"&_pragma=journal_mode(WAL)" +
	"&_pragma=foreign_keys(1)"

// writerPragmas make every commit durable: with synchronous=FULL the WAL
// is synced to disk at each commit, so that what was acknowledged (an
// inbox's 202, a member's post) survives a power cut, not only a crash
// of the process. Readers write nothing and keep NORMAL.
const (
	writerPragmas = pragmas + "&_pragma=synchronous(FULL)&_txlock=immediate"
	readerPragmas = pragmas + "&_pragma=synchronous(NORMAL)&_pragma=query_only(1)"
)

// Open opens (creating if needed) the database file at path for the
// instance at site, applies any migrations it has not had yet, and makes
// the actors (with their keys) that the instance and its members lack.
func Open(ctx context.Context, path string, site Site) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	writer, err := sql.Open("sqlite", "file:"+path+"?"+writerPragmas)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetConnMaxIdleTime(0)

	db := &DB{path: path, writer: writer, ids: newIDSource(), hashing: newHashGate(), Now: time.Now, Registration: RegistrationOpen, Site: site,
		Corrections: DefaultCorrectionPolicy, Admission: DefaultAdmission}
	if err := writer.PingContext(ctx); err != nil {
		writer.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := db.migrate(ctx); err != nil {
		writer.Close()
		return nil, err
	}

	reader, err := sql.Open("sqlite", "file:"+path+"?"+readerPragmas)
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("open database %s for reading: %w", path, err)
	}
	readers := max(4, 2*runtime.NumCPU())
	reader.SetMaxOpenConns(readers)
	// Every reader is kept open once opened: database/sql keeps two idle
	// by default and closes the rest, and a new connection reads the
	// schema again and compiles anew each statement kept compiled.
	reader.SetMaxIdleConns(readers)
	db.reader = reader
	if err := db.prepareSite(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// Close closes both connection pools.
func (db *DB) Close() error {
	return errors.Join(db.statements.close(), db.writerStatements.close(), db.reader.Close(), db.writer.Close())
}

// Ping checks that the database answers a query.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	return db.reader.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Tx is a transaction that carries the one time at which all of its
// changes happen.
type Tx struct {
	*sql.Tx
	now   time.Time
	db    *DB
	pool  *sql.DB // the pool the transaction's connection is from
	keeps bool    // the write changes no public document (keepsDocuments)
	// afterCommit runs when the transaction has ended, its connection
	// given back: what in memory must forget the rows it changed, and
	// statements to keep compiled. It runs after a failed commit or a
	// rollback too, since forgetting is always safe (not after a panic,
	// which rolls back).
	afterCommit []func()
	// onCommitted runs only once the transaction has committed.
	onCommitted []func()
	// changes are what the transaction tells OnChange's function of.
	changes []Change
}

// newID returns a fresh time-sortable id.
func (tx *Tx) newID() string {
	return tx.db.ids.next(tx.now)
}

// write runs fn in a transaction on the writer connection and commits it
// if fn returns nil. Under CompletingInbound the transaction also
// completes the inbound activity.
// Writes asked for at the same time share one commit (see writeGroup);
// fn runs as if alone, after those grouped before it.
func (db *DB) write(ctx context.Context, fn func(*Tx) error) error {
	_, completing := ctx.Value(completingKey{}).(*Inbound)
	return db.runWrite(&groupedWrite{ctx: ctx, fn: fn, redoable: completing})
}

// runWrite runs w in the next group of writes, and raises again in the
// caller's goroutine a panic of its fn.
func (db *DB) runWrite(w *groupedWrite) error {
	db.writes.run(db, w)
	if w.panicked != nil {
		panic(w.panicked.value)
	}
	return w.err
}

// read runs fn in a transaction on a reader connection.
func (db *DB) read(ctx context.Context, fn func(*Tx) error) error {
	return db.run(ctx, db.reader, fn)
}

func (db *DB) run(ctx context.Context, pool *sql.DB, fn func(*Tx) error) error {
	if pool == db.writer {
		// A write, once begun, runs to its end (see statementContext).
		ctx = context.WithoutCancel(ctx)
	}
	sqlTx, err := pool.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() {
		// A panic in fn must not leave the transaction open: it would hold
		// the one writer connection, and every later write would wait.
		if p := recover(); p != nil {
			sqlTx.Rollback()
			panic(p)
		}
	}()
	tx := &Tx{Tx: sqlTx, now: db.Now().UTC(), db: db, pool: pool}
	err = fn(tx)
	if err != nil {
		sqlTx.Rollback()
	} else {
		err = sqlTx.Commit()
		if pool == db.writer {
			db.committed(tx) // even after a failed commit: not knowing is a change
		}
		if err != nil {
			err = fmt.Errorf("commit: %w", err)
		} else {
			for _, on := range tx.onCommitted {
				on()
			}
		}
	}
	for _, after := range tx.afterCommit {
		after()
	}
	return err
}

// isUniqueViolation reports whether err is SQLite's unique constraint
// failure, judged by its code, never by its text.
func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE ||
			se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// millis is how times are stored: milliseconds since the Unix epoch, UTC.
func millis(t time.Time) int64 { return t.UnixMilli() }

// fromMillis turns a stored time back into a time.Time in UTC.
func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
