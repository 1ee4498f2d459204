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

	"github.com/tidings-social/tidings/storage"
)

// profileImageSizes are the sizes avatars and headers are made, as
// Mastodon makes them: a square avatar, a 3:1 header.
var profileImageSizes = map[string]image.Point{
	storage.MediaAvatar: {X: 400, Y: 400},
	storage.MediaHeader: {X: 1500, Y: 500},
}

// uploadFormats are the decoders of the image types members may upload.
var uploadFormats = map[string]bool{"jpeg": true, "png": true, "gif": true, "webp": true}

// uploadProblem is an upload refused, with the reason to show.
type uploadProblem struct {
	status int
	msg    string
}

func (p *uploadProblem) Error() string { return p.msg }

// profileImage makes an uploaded file into the avatar or header it is
// for: decoded (its size read from the header first, so that a small
// file claiming a huge picture is refused before it takes the memory),
// scaled and cropped to cover the size, and encoded anew, which leaves
// behind EXIF and anything else the file carried. An opaque image
// becomes a JPEG, one with transparency a PNG; it returns the bytes and
// the extension.
func profileImage(data []byte, kind string, maxSide int) ([]byte, string, error) {
	size, ok := profileImageSizes[kind]
	if !ok {
		return nil, "", &uploadProblem{400, "Unknown kind of profile image."}
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || !uploadFormats[format] {
		return nil, "", &uploadProblem{415, "The file is not a JPEG, PNG, GIF or WebP image."}
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > maxSide || cfg.Height > maxSide {
		return nil, "", &uploadProblem{422, fmt.Sprintf("The image is %d×%d pixels; at most %d×%d are taken.",
			cfg.Width, cfg.Height, maxSide, maxSide)}
	}
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, "", &uploadProblem{415, "The image could not be read; it may be damaged."}
	}
	out := coverCrop(src, size)
	var buf bytes.Buffer
	if out.Opaque() {
		err = jpeg.Encode(&buf, out, &jpeg.Options{Quality: 85})
		return buf.Bytes(), ".jpg", err
	}
	err = png.Encode(&buf, out)
	return buf.Bytes(), ".png", err
}

// coverCrop scales src to cover size, keeping its proportions, and cuts
// what sticks out on either side evenly.
func coverCrop(src image.Image, size image.Point) *image.RGBA {
	b := src.Bounds()
	// The largest part of src with the proportions of size.
	w, h := b.Dx(), b.Dx()*size.Y/size.X
	if h > b.Dy() {
		w, h = b.Dy()*size.X/size.Y, b.Dy()
	}
	w, h = max(w, 1), max(h, 1)
	x0, y0 := b.Min.X+(b.Dx()-w)/2, b.Min.Y+(b.Dy()-h)/2
	dst := image.NewRGBA(image.Rectangle{Max: size})
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, image.Rect(x0, y0, x0+w, y0+h), draw.Src, nil)
	return dst
}
