package federation

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // decoders, to read the size of what is fetched
	_ "image/jpeg"
	_ "image/png"
	"io"
	"net/http"
	"time"

	_ "golang.org/x/image/webp"

	"github.com/tidings-social/tidings/storage"
)

// ErrNotImage is a fetched file that is not a raster image Tidings shows
// (JPEG, PNG, GIF, WebP), whatever its name or Content-Type say: an SVG,
// a web page, anything else.
var ErrNotImage = errors.New("not an image of a shown type")

// maxImageSide is the widest or tallest remote image passed on to
// browsers, which would spend their memory on anything larger.
const maxImageSide = 16384

// acceptImageHeader asks for the raster images Tidings shows.
const acceptImageHeader = "image/webp, image/png, image/jpeg, image/gif"

// GetImage fetches an image of at most maxBytes for the media cache,
// unsigned (media are public files on every server). Its type is read
// from the bytes, never from the answer's headers, and must be a shown
// raster image whose size its header states. It returns the bytes and
// their media type.
func (c *Client) GetImage(ctx context.Context, url string, maxBytes int64) (body []byte, mediaType string, err error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := c.newRequest(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, "", fmt.Errorf("fetch image: %w", err)
	}
	req.Header.Set("Accept", acceptImageHeader)
	resp, err := c.do(req, nil, nil)
	if err != nil {
		return nil, "", fmt.Errorf("fetch image: %w", err)
	}
	defer discard(resp)
	if resp.StatusCode/100 != 2 {
		return nil, "", fmt.Errorf("fetch image: %w", newStatusError(resp, time.Now()))
	}
	if resp.ContentLength > maxBytes {
		return nil, "", fmt.Errorf("fetch image %s: %w: %d bytes, limit %d", url, ErrBodyTooLarge, resp.ContentLength, maxBytes)
	}
	body, err = io.ReadAll(io.LimitReader(resp.Body, maxBytes+1))
	if err != nil {
		return nil, "", fmt.Errorf("fetch image %s: %w", url, err)
	}
	if int64(len(body)) > maxBytes {
		return nil, "", fmt.Errorf("fetch image %s: %w: over %d bytes", url, ErrBodyTooLarge, maxBytes)
	}
	mediaType, err = sniffImage(body)
	if err != nil {
		return nil, "", fmt.Errorf("fetch image %s: %w", url, err)
	}
	return body, mediaType, nil
}

// sniffImage reads the type of an image from its bytes, and checks that
// its header parses and states a sensible size.
func sniffImage(body []byte) (string, error) {
	mediaType := http.DetectContentType(body)
	if !storage.IsImageType(mediaType) {
		return "", fmt.Errorf("%w: %s", ErrNotImage, mediaType)
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(body))
	if err != nil || "image/"+format != mediaType {
		return "", fmt.Errorf("%w: a broken %s", ErrNotImage, mediaType)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > maxImageSide || cfg.Height > maxImageSide {
		return "", fmt.Errorf("%w: %dx%d pixels", ErrNotImage, cfg.Width, cfg.Height)
	}
	return mediaType, nil
}
