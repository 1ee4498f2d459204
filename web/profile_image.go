package web

import (
	"image"

	"golang.org/x/image/draw"

	"github.com/tidings-social/tidings/storage"
)

// profileImageSizes are the sizes avatars and headers are made, as
// Mastodon makes them: a square avatar, a 3:1 header.
var profileImageSizes = map[string]image.Point{
	storage.MediaAvatar: {X: 400, Y: 400},
	storage.MediaHeader: {X: 1500, Y: 500},
}

// profileImage makes an uploaded file into the avatar or header it is
// for: decoded and stood upright (decodeUpload), scaled and cropped to
// cover the size, and encoded anew (encodeUpload), which leaves behind
// EXIF and anything else the file carried. It returns the bytes and the
// extension.
func profileImage(data []byte, kind string, maxSide int) ([]byte, string, error) {
	size, ok := profileImageSizes[kind]
	if !ok {
		return nil, "", &uploadProblem{400, "Unknown kind of profile image."}
	}
	src, err := decodeUpload(data, maxSide)
	if err != nil {
		return nil, "", err
	}
	return encodeUpload(coverCrop(src, size))
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
