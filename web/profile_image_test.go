package web

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/tidings-social/tidings/storage"
)

// webp1x1 is a lossless WebP of one transparent pixel.
var webp1x1 = []byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00")

func picture(w, h int, transparent bool) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			a := uint8(255)
			if transparent && x == 0 {
				a = 0
			}
			img.SetNRGBA(x, y, color.NRGBA{uint8(x), uint8(y), 90, a})
		}
	}
	return img
}

func encoded(t *testing.T, format string, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	var err error
	switch format {
	case "jpeg":
		err = jpeg.Encode(&buf, img, nil)
	case "png":
		err = png.Encode(&buf, img)
	case "gif":
		err = gif.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// claimingSize is a PNG of one pixel whose header claims w×h.
func claimingSize(t *testing.T, w, h uint32) []byte {
	b := encoded(t, "png", picture(1, 1, false))
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func TestProfileImage(t *testing.T) {
	photo := encoded(t, "jpeg", picture(640, 480, false))
	for _, tc := range []struct {
		name         string
		data         []byte
		kind         string
		wantExt      string
		wantW, wantH int
		wantStatus   int
	}{
		{"a JPEG avatar", photo, storage.MediaAvatar, ".jpg", 400, 400, 0},
		{"a tall JPEG header", encoded(t, "jpeg", picture(100, 1000, false)), storage.MediaHeader, ".jpg", 1500, 500, 0},
		{"a PNG with transparency", encoded(t, "png", picture(300, 300, true)), storage.MediaHeader, ".png", 1500, 500, 0},
		{"an opaque PNG", encoded(t, "png", picture(300, 300, false)), storage.MediaAvatar, ".jpg", 400, 400, 0},
		{"a GIF", encoded(t, "gif", picture(10, 10, false)), storage.MediaAvatar, ".jpg", 400, 400, 0},
		{"a WebP", webp1x1, storage.MediaAvatar, ".png", 400, 400, 0},
		{"a decompression bomb", claimingSize(t, 60000, 60000), storage.MediaAvatar, "", 0, 0, 422},
		{"too wide", claimingSize(t, 5000, 10), storage.MediaHeader, "", 0, 0, 422},
		{"an SVG", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>`), storage.MediaAvatar, "", 0, 0, 415},
		{"text", []byte("hello"), storage.MediaAvatar, "", 0, 0, 415},
		{"a cut JPEG", photo[:len(photo)/3], storage.MediaAvatar, "", 0, 0, 415},
		{"no kind", photo, "banner", "", 0, 0, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, ext, err := profileImage(tc.data, tc.kind, 4096)
			var problem *uploadProblem
			if tc.wantStatus != 0 {
				if !errors.As(err, &problem) || problem.status != tc.wantStatus {
					t.Fatalf("err = %v, want a %d refusal", err, tc.wantStatus)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			cfg, format, err := image.DecodeConfig(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			if ext != tc.wantExt || "."+map[string]string{"jpeg": "jpg", "png": "png"}[format] != tc.wantExt {
				t.Errorf("ext, format = %q, %q; want %q", ext, format, tc.wantExt)
			}
			if cfg.Width != tc.wantW || cfg.Height != tc.wantH {
				t.Errorf("size = %dx%d, want %dx%d", cfg.Width, cfg.Height, tc.wantW, tc.wantH)
			}
		})
	}
}

func TestCoverCropKeepsTheMiddle(t *testing.T) {
	// A wide picture, black with a white middle third: the square avatar
	// is the middle, all white.
	src := image.NewGray(image.Rect(0, 0, 300, 100))
	for y := range 100 {
		for x := 100; x < 200; x++ {
			src.SetGray(x, y, color.Gray{255})
		}
	}
	out := coverCrop(src, image.Point{X: 40, Y: 40})
	for _, p := range []image.Point{{1, 1}, {20, 20}, {38, 38}} {
		if r, _, _, _ := out.At(p.X, p.Y).RGBA(); r>>8 < 250 {
			t.Errorf("pixel %v = %d, want white (the middle of the picture)", p, r>>8)
		}
	}
}
