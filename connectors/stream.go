package connectors

import (
	"context"

	"github.com/apache/arrow-go/v18/arrow"
)

// RecordStream is a pull-based stream of Arrow record batches.
//
// Next returns the next batch, or io.EOF after the last one. The caller owns
// each returned batch and must Release it. Next checks ctx at least once per
// batch; cancellation surfaces as ctx.Err(). Close releases the stream's
// resources and may be called at any time, once.
type RecordStream interface {
	Schema() *arrow.Schema
	Next(ctx context.Context) (arrow.RecordBatch, error)
	Close()
}
