#!/usr/bin/env python3
"""Builds small media samples and records what libmagic (`file --mime-type`) calls
each, so `tests/media_oracle.rs` can check msgcore's content sniffing against it.

Writes tests/fixtures/media/<name> (the samples) and
tests/fixtures/media/libmagic.json ({name: mime type}). Every sample is made here
from the standard library: real zlib-compressed PNG and deflated ZIP packages
(DOCX, XLSX), hand-assembled MPEG Layer III frames, OGG pages and ISO `ftyp`
boxes, and near misses of each. Needs `file` (libmagic 5.4x) on PATH.

Usage: python3 scripts/media_oracle.py
"""
import io
import json
import pathlib
import struct
import subprocess
import zipfile
import zlib

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests/fixtures/media"


def png():
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    ihdr = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xff\x00\x00" * 2 + b"\x00" + b"\x00\xff\x00" * 2)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def jpeg():
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + app0 + b"\xff\xd9"


def webp():
    # A 1x1 lossless VP8L bitstream.
    vp8l = bytes.fromhex("2f000000100710111188880000")
    chunk = b"VP8L" + struct.pack("<I", len(vp8l)) + vp8l + b"\x00" * (len(vp8l) % 2)
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def pdf():
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 b'<Default Extension="xml" ContentType="application/xml"/></Types>')


def package(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            z.writestr(name, data)
    return buffer.getvalue()


def docx(first="[Content_Types].xml"):
    parts = [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", b"<Relationships/>"),
             ("word/document.xml", b"<w:document/>")]
    parts.sort(key=lambda p: p[0] != first)
    return package(parts)


def xlsx():
    return package([("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", b"<Relationships/>"),
                    ("xl/workbook.xml", b"<workbook/>")])


def mpeg_frame(header):
    # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding: 417 bytes.
    version = (header >> 19) & 3
    kbps = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320][(header >> 12) & 15]
    length = 144 * kbps * 1000 // 44100 if version == 3 else 0
    return struct.pack(">I", header) + b"\x00" * (length - 4)


def mp3(frames=3, id3=False):
    data = b"".join(mpeg_frame(0xFFFB9000) for _ in range(frames))
    if id3:
        tag = b"TIT2" + struct.pack(">I", 6) + b"\x00\x00\x00Hi!\x00"
        size = len(tag)
        syncsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
        data = b"ID3\x04\x00\x00" + syncsafe + tag + data
    return data


def ogg(first_packet):
    header = b"OggS" + bytes([0, 0x02]) + b"\x00" * 8 + struct.pack("<I", 1234) + struct.pack("<I", 0)
    header += b"\x00\x00\x00\x00" + bytes([1, len(first_packet)])
    return header + first_packet


OPUS_HEAD = b"OpusHead" + bytes([1, 2]) + struct.pack("<HIhB", 312, 48000, 0, 0)
VORBIS_HEAD = b"\x01vorbis" + struct.pack("<IBIiii", 0, 2, 44100, 0, 128000, 0) + b"\xb8\x01"


def ftyp(major, compatible):
    body = major + b"\x00\x00\x02\x00" + b"".join(compatible)
    box = struct.pack(">I", 8 + len(body)) + b"ftyp" + body
    return box + struct.pack(">I", 8) + b"free" + struct.pack(">I", 16) + b"mdat" + b"\x00" * 8


SAMPLES = {
    "image.png": png(),
    "image.jpg": jpeg(),
    "image.webp": webp(),
    "document.pdf": pdf(),
    "document.docx": docx(),
    "document_content_types_last.docx": docx(first="word/document.xml"),
    "spreadsheet.xlsx": xlsx(),
    "archive.zip": package([("readme.txt", b"hello")]),
    "audio.mp3": mp3(),
    "audio_id3.mp3": mp3(id3=True),
    "audio_one_frame.mp3": mp3(frames=1),
    "audio.opus.ogg": ogg(OPUS_HEAD),
    "audio.vorbis.ogg": ogg(VORBIS_HEAD),
    "video_isom.mp4": ftyp(b"isom", [b"isom", b"iso2", b"avc1", b"mp41"]),
    "video_mp42.mp4": ftyp(b"mp42", [b"mp42", b"isom"]),
    "audio.m4a": ftyp(b"M4A ", [b"M4A ", b"isom", b"mp42"]),
    "movie.mov": ftyp(b"qt  ", [b"qt  "]),
    "image.heic": ftyp(b"heic", [b"mif1", b"heic"]),
    "video.3gp": ftyp(b"3gp4", [b"isom", b"3gp4"]),
    "image.gif": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    "text.txt": b"Just some text, named nothing in particular.\n",
    "png_without_ihdr.bin": b"\x89PNG\r\n\x1a\n" + b"\x00" * 16,
    "riff_wave.wav": b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 24,
    "mp3_sync_noise.bin": b"\xff\xfb\x90\x00" + b"\x01" * 100 + b"\x12\x34\x56\x78" + b"\x00" * 400,
}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    verdicts = {}
    for name, data in sorted(SAMPLES.items()):
        path = OUT / name
        path.write_bytes(data)
        mime = subprocess.run(["file", "--brief", "--mime-type", str(path)], check=True,
                              capture_output=True, text=True).stdout.strip()
        verdicts[name] = mime
    (OUT / "libmagic.json").write_text(json.dumps(verdicts, indent=2, sort_keys=True) + "\n")
    for name, mime in sorted(verdicts.items()):
        print(f"{name:40} {mime}")


if __name__ == "__main__":
    main()
