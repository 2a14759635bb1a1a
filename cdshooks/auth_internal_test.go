package cdshooks

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReplayCache(t *testing.T) {
	const size = 4
	c := newReplayCache(size)
	t0 := time.Date(2026, 5, 4, 7, 0, 0, 0, time.UTC)
	for i := range size {
		require.Equal(t, replayNew, c.add("iss", fmt.Sprint(i), t0.Add(time.Duration(i+1)*time.Minute), t0))
	}
	assert.Equal(t, replaySeen, c.add("iss", "0", t0.Add(time.Hour), t0), "the same jti")
	assert.Equal(t, replayFull, c.add("other iss", "0", t0.Add(time.Minute), t0), "the same jti of another issuer is another token, but there is no room")
	assert.Equal(t, replayFull, c.add("iss", "new", t0.Add(time.Minute), t0))
	assert.Equal(t, time.Minute, c.retryAfter(t0), "until the first token expires")
	assert.Equal(t, size, c.size())

	// At one minute the first token has expired: it is forgotten, its jti
	// may come again, and there is room.
	t1 := t0.Add(time.Minute)
	assert.Equal(t, replayNew, c.add("iss", "0", t1.Add(time.Minute), t1))
	assert.Equal(t, size, c.size())
	// Once every token has expired, the cache is empty but for the new one.
	t2 := t0.Add(time.Hour)
	assert.Equal(t, replayNew, c.add("iss", "last", t2.Add(time.Minute), t2))
	assert.Equal(t, 1, c.size())
	assert.Len(t, c.order, 1)
}
