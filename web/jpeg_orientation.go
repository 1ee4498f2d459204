package web

import (
	"encoding/binary"
	"image"
	"image/draw"
)

// maxJPEGSegments bounds how many segments are read looking for the
// EXIF one, which cameras put first; a file of endless empty segments
// costs no more than this.
const maxJPEGSegments = 64

// jpegOrientation reads the EXIF orientation (tag 0x0112) of a JPEG, 1
// to 8, or 1 when the file has none or is no JPEG. It reads only the
// APP1 "Exif" segment's first directory, never past the bytes given, so
// hostile bytes cost little and never make it panic.
func jpegOrientation(data []byte) int {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return 1
	}
	at := 2
	for range maxJPEGSegments {
		if at+4 > len(data) || data[at] != 0xFF {
			return 1
		}
		marker := data[at+1]
		if marker == 0xFF { // a fill byte
			at++
			continue
		}
		if marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7) {
			at += 2 // markers without a length
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // the picture starts, or the file ends: no EXIF before it
			return 1
		}
		length := int(binary.BigEndian.Uint16(data[at+2:]))
		if length < 2 || at+2+length > len(data) {
			return 1
		}
		payload := data[at+4 : at+2+length]
		if marker == 0xE1 && len(payload) >= 6 && string(payload[:6]) == "Exif\x00\x00" {
			return tiffOrientation(payload[6:])
		}
		at += 2 + length
	}
	return 1
}

// tiffOrientation reads the orientation from the first directory (IFD0)
// of an EXIF TIFF structure.
func tiffOrientation(tiff []byte) int {
	if len(tiff) < 8 {
		return 1
	}
	var order binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 1
	}
	if order.Uint16(tiff[2:]) != 42 {
		return 1
	}
	ifd := int64(order.Uint32(tiff[4:]))
	if ifd < 8 || ifd+2 > int64(len(tiff)) {
		return 1
	}
	count := int64(order.Uint16(tiff[ifd:]))
	for i := range count {
		entry := ifd + 2 + i*12
		if entry+12 > int64(len(tiff)) {
			return 1
		}
		if order.Uint16(tiff[entry:]) != 0x0112 {
			continue
		}
		// A SHORT, count 1: the value sits in the entry itself.
		if order.Uint16(tiff[entry+2:]) != 3 || order.Uint32(tiff[entry+4:]) != 1 {
			return 1
		}
		if o := int(order.Uint16(tiff[entry+8:])); o >= 1 && o <= 8 {
			return o
		}
		return 1
	}
	return 1
}

// orient turns and mirrors an image as its EXIF orientation says, so
// that it stands as the camera was held; orientation 1 (or an unknown
// one) leaves it as it is.
func orient(src image.Image, orientation int) image.Image {
	if orientation < 2 || orientation > 8 {
		return src
	}
	b := src.Bounds()
	in := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(in, in.Bounds(), src, b.Min, draw.Src)
	w, h := b.Dx(), b.Dy()
	size := image.Rect(0, 0, w, h)
	if orientation >= 5 { // the sides swap
		size = image.Rect(0, 0, h, w)
	}
	out := image.NewRGBA(size)
	for y := range size.Dy() {
		for x := range size.Dx() {
			sx, sy := sourceOf(orientation, x, y, w, h)
			copy(out.Pix[out.PixOffset(x, y):][:4], in.Pix[in.PixOffset(sx, sy):][:4])
		}
	}
	return out
}

// sourceOf is the pixel of a w×h picture that lands at (x, y) once it is
// put in the orientation.
func sourceOf(orientation, x, y, w, h int) (int, int) {
	switch orientation {
	case 2: // mirrored
		return w - 1 - x, y
	case 3: // upside down
		return w - 1 - x, h - 1 - y
	case 4: // mirrored upside down
		return x, h - 1 - y
	case 5: // mirrored along the diagonal
		return y, x
	case 6: // to be turned a quarter clockwise
		return y, h - 1 - x
	case 7: // mirrored along the other diagonal
		return w - 1 - y, h - 1 - x
	case 8: // to be turned a quarter anticlockwise
		return w - 1 - y, x
	}
	return x, y
}
