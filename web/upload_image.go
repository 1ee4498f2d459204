package web

import (
	"bytes"
	"fmt"
	"image"
	_ "image/gif" // the types of image members may upload
	"image/jpeg"
	"image/png"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp"
)

// maxPostImageSide is the longest side of an image attached to a post,
// as it is kept: larger ones are scaled down to it (never up), as
// Mastodon keeps about 1920×1080 pixels of a picture.
const maxPostImageSide = 1920

// uploadFormats are the decoders of the image types members may upload.
var uploadFormats = map[string]bool{"jpeg": true, "png": true, "gif": true, "webp": true}

// uploadProblem is an upload refused, with the reason to show.
type uploadProblem struct {
	status int
	msg    string
}

func (p *uploadProblem) Error() string { return p.msg }

// decodeUpload decodes an uploaded image: its size read from its header
// first, so that a small file claiming a huge picture is refused before
// it takes the memory; a GIF's first frame; a JPEG turned upright as its
// EXIF orientation says, since the metadata that says so is not kept.
func decodeUpload(data []byte, maxSide int) (image.Image, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || !uploadFormats[format] {
		return nil, &uploadProblem{415, "The file is not a JPEG, PNG, GIF or WebP image."}
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > maxSide || cfg.Height > maxSide {
		return nil, &uploadProblem{422, fmt.Sprintf("The image is %d×%d pixels; at most %d×%d are taken.",
			cfg.Width, cfg.Height, maxSide, maxSide)}
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, &uploadProblem{415, "The image could not be read; it may be damaged."}
	}
	if format == "jpeg" {
		src = orient(src, jpegOrientation(data))
	}
	return src, nil
}

// encodeUpload encodes an image anew, which leaves behind EXIF, GPS
// positions, camera names, ICC profiles and comments: as JPEG (quality
// 85) when it is opaque, as PNG when it has transparency. It returns the
// bytes and the extension.
func encodeUpload(img image.Image) ([]byte, string, error) {
	var buf bytes.Buffer
	if opaque(img) {
		err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85})
		return buf.Bytes(), ".jpg", err
	}
	err := png.Encode(&buf, img)
	return buf.Bytes(), ".png", err
}

// opaque reports whether an image has no transparent pixel.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// postImage makes an uploaded file into an image of a post: decoded and
// stood upright, scaled down so that its longer side is at most
// maxPostImageSide pixels, and encoded anew. It returns the bytes, the
// extension and the size.
func postImage(data []byte, maxSide int) (out []byte, ext string, size image.Point, err error) {
	src, err := decodeUpload(data, maxSide)
	if err != nil {
		return nil, "", image.Point{}, err
	}
	img := scaleDown(src, maxPostImageSide)
	out, ext, err = encodeUpload(img)
	return out, ext, img.Bounds().Size(), err
}

// scaleDown scales an image so that its longer side is at most limit
// pixels, keeping its proportions; a smaller one is copied as it is.
func scaleDown(src image.Image, limit int) *image.RGBA {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if longer := max(w, h); longer > limit {
		w, h = max(w*limit/longer, 1), max(h*limit/longer, 1)
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	if w == b.Dx() && h == b.Dy() {
		draw.Draw(dst, dst.Bounds(), src, b.Min, draw.Src)
		return dst
	}
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
	return dst
}
