package storage

import (
	"sync/atomic"
	"time"
)

// WriterUse tells how much the one writer connection has worked: the
// time it spent running and committing groups of writes, the groups and
// the writes in them. The benchmarks report it, since the writer is
// where writes wait on each other.
type WriterUse struct {
	Busy   time.Duration
	Groups int64
	Writes int64
}

// writerUse counts WriterUse as groups commit.
type writerUse struct {
	busy, groups, writes atomic.Int64
}

func (u *writerUse) record(busy time.Duration, writes int) {
	u.busy.Add(int64(busy))
	u.groups.Add(1)
	u.writes.Add(int64(writes))
}

// WriterUse returns the writer's work since the database was opened.
func (db *DB) WriterUse() WriterUse {
	return WriterUse{Busy: time.Duration(db.writerUse.busy.Load()), Groups: db.writerUse.groups.Load(),
		Writes: db.writerUse.writes.Load()}
}
