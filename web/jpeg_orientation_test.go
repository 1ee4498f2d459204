package web

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// exifJPEG puts an APP1 EXIF segment whose first directory holds the
// orientation (and a tag before it) after the start of a JPEG, in the
// byte order given, as phones write it.
func exifJPEG(jpegBytes []byte, order binary.ByteOrder, orientation uint16) []byte {
	tiff := make([]byte, 8+2+2*12+4)
	if order == binary.LittleEndian {
		copy(tiff, "II")
	} else {
		copy(tiff, "MM")
	}
	order.PutUint16(tiff[2:], 42)
	order.PutUint32(tiff[4:], 8)
	order.PutUint16(tiff[8:], 2)
	// 0x010F Make, an ASCII string elsewhere; then the orientation.
	order.PutUint16(tiff[10:], 0x010F)
	order.PutUint16(tiff[12:], 2)
	order.PutUint32(tiff[14:], 20)
	order.PutUint32(tiff[18:], 100)
	order.PutUint16(tiff[22:], 0x0112)
	order.PutUint16(tiff[24:], 3)
	order.PutUint32(tiff[26:], 1)
	order.PutUint16(tiff[30:], orientation)
	return withAPP1(jpegBytes, append([]byte("Exif\x00\x00"), tiff...))
}

func withAPP1(jpegBytes, payload []byte) []byte {
	segment := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(segment[2:], uint16(len(payload)+2))
	out := append([]byte{}, jpegBytes[:2]...)
	out = append(out, segment...)
	out = append(out, payload...)
	return append(out, jpegBytes[2:]...)
}

func TestJPEGOrientation(t *testing.T) {
	plain := encoded(t, "jpeg", picture(8, 4, false))
	for _, tc := range []struct {
		name string
		data []byte
		want int
	}{
		{"no EXIF", plain, 1},
		{"big-endian 6", exifJPEG(plain, binary.BigEndian, 6), 6},
		{"little-endian 8", exifJPEG(plain, binary.LittleEndian, 8), 8},
		{"3", exifJPEG(plain, binary.BigEndian, 3), 3},
		{"out of range", exifJPEG(plain, binary.BigEndian, 9), 1},
		{"zero", exifJPEG(plain, binary.LittleEndian, 0), 1},
		{"not EXIF APP1", withAPP1(plain, []byte("http://ns.adobe.com/xap/1.0/\x00<x/>")), 1},
		{"truncated EXIF", exifJPEG(plain, binary.BigEndian, 6)[:30], 1},
		{"a directory past the end", withAPP1(plain, []byte("Exif\x00\x00MM\x00\x2a\xff\xff\xff\xf0")), 1},
		{"a PNG", encoded(t, "png", picture(2, 2, false)), 1},
		{"nothing", nil, 1},
	} {
		if got := jpegOrientation(tc.data); got != tc.want {
			t.Errorf("%s: jpegOrientation = %d, want %d", tc.name, got, tc.want)
		}
	}
}

func TestOrient(t *testing.T) {
	// A 3×2 picture, each pixel told apart by its red.
	src := image.NewNRGBA(image.Rect(0, 0, 3, 2))
	for y := range 2 {
		for x := range 3 {
			src.SetNRGBA(x, y, color.NRGBA{uint8(10*y + x), 0, 0, 255})
		}
	}
	red := func(img image.Image, x, y int) int { r, _, _, _ := img.At(x, y).RGBA(); return int(r >> 8) }
	for _, tc := range []struct {
		orientation int
		size        image.Point
		topLeft     int // the red of the pixel that ends up at (0, 0)
		topRight    int
	}{
		{1, image.Pt(3, 2), 0, 2},
		{2, image.Pt(3, 2), 2, 0},
		{3, image.Pt(3, 2), 12, 10},
		{4, image.Pt(3, 2), 10, 12},
		{5, image.Pt(2, 3), 0, 10},
		{6, image.Pt(2, 3), 10, 0},
		{7, image.Pt(2, 3), 12, 2},
		{8, image.Pt(2, 3), 2, 12},
	} {
		out := orient(src, tc.orientation)
		if got := out.Bounds().Size(); got != tc.size {
			t.Errorf("orientation %d: size = %v, want %v", tc.orientation, got, tc.size)
			continue
		}
		if got := red(out, 0, 0); got != tc.topLeft {
			t.Errorf("orientation %d: top left = %d, want %d", tc.orientation, got, tc.topLeft)
		}
		if got := red(out, tc.size.X-1, 0); got != tc.topRight {
			t.Errorf("orientation %d: top right = %d, want %d", tc.orientation, got, tc.topRight)
		}
	}
}

// TestPostImageStandsUpright: a phone's photo, taken holding the phone
// upright, is stored 640×480 with orientation 6; it is kept 480×640,
// with the top-left corner of the file at the top right.
func TestPostImageStandsUpright(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for y := range 480 {
		for x := range 640 {
			c := color.RGBA{0, 0, 255, 255} // blue
			if x < 160 && y < 120 {
				c = color.RGBA{255, 0, 0, 255} // a red corner, top left in the file
			}
			src.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, src, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	out, ext, size, err := postImage(exifJPEG(buf.Bytes(), binary.BigEndian, 6), 4096)
	if err != nil || ext != ".jpg" {
		t.Fatalf("postImage: %s, %v", ext, err)
	}
	if size != image.Pt(480, 640) {
		t.Errorf("size = %v, want 480×640", size)
	}
	img, err := jpeg.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if got := img.Bounds().Size(); got != image.Pt(480, 640) {
		t.Fatalf("stored image = %v, want 480×640", got)
	}
	isRed := func(x, y int) bool {
		r, g, b, _ := img.At(x, y).RGBA()
		return r>>8 > 200 && g>>8 < 60 && b>>8 < 60
	}
	if !isRed(480-20, 20) || isRed(20, 20) {
		t.Errorf("the red corner is not at the top right once upright")
	}
	if bytes.Contains(out, []byte("Exif")) {
		t.Error("the stored image still carries EXIF")
	}
}

func TestPostImageScaledDownNeverUp(t *testing.T) {
	for _, tc := range []struct {
		w, h int
		want image.Point
	}{
		{3000, 1500, image.Pt(1920, 960)},
		{1000, 2400, image.Pt(800, 1920)},
		{640, 480, image.Pt(640, 480)},
	} {
		_, _, size, err := postImage(encoded(t, "png", picture(tc.w, tc.h, false)), 4096)
		if err != nil || size != tc.want {
			t.Errorf("%d×%d: size = %v (%v), want %v", tc.w, tc.h, size, err, tc.want)
		}
	}
}

func FuzzJPEGOrientation(f *testing.F) {
	var buf bytes.Buffer
	jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 2, 2)), nil)
	f.Add(buf.Bytes())
	f.Add(exifJPEG(buf.Bytes(), binary.BigEndian, 6))
	f.Add(exifJPEG(buf.Bytes(), binary.LittleEndian, 8))
	f.Add([]byte("\xff\xd8\xff\xe1\x00\x10Exif\x00\x00II\x2a\x00\x08\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := jpegOrientation(data); o < 1 || o > 8 {
			t.Fatalf("jpegOrientation = %d, want 1 to 8", o)
		}
	})
}

// TestAvatarStandsUpright: the avatar of a photo with orientation 6 is
// cropped from the upright picture.
func TestAvatarStandsUpright(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for y := range 480 {
		for x := range 640 {
			c := color.RGBA{0, 0, 255, 255}
			if x < 160 && y < 120 {
				c = color.RGBA{255, 0, 0, 255}
			}
			src.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	jpeg.Encode(&buf, src, &jpeg.Options{Quality: 95})
	out, _, err := profileImage(exifJPEG(buf.Bytes(), binary.LittleEndian, 6), "avatar", 4096)
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	isRed := func(x, y int) bool {
		r, g, b, _ := img.At(x, y).RGBA()
		return r>>8 > 200 && g>>8 < 60 && b>>8 < 60
	}
	if !isRed(390, 10) || isRed(10, 10) {
		t.Errorf("the red corner is not at the top right of the avatar")
	}
}
