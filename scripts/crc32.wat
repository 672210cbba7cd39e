;; CRC-32 (the zip one: IEEE, reflected), sixteen bytes per step ("slicing-by-16"), for the zip download's service
;; worker. scripts/build-vendor.mjs compiles this with wabt into static/vendor/client-zip.js, and scripts/crc32.mjs
;; calls it (copying each chunk into WINDOW first) where WebAssembly may compile, its JavaScript loop elsewhere.
;;
;; Memory: 16 tables of 256 words at 0 (table k at k*1024, filled by $start), the bytes to check at WINDOW (65536),
;; up to WINDOW_SIZE (1 MiB): 17 pages in all.
(module
  (memory (export "memory") 17)

  (func $start
    (local $n i32) (local $c i32) (local $k i32) (local $t i32)
    ;; table 0: the byte-at-a-time table
    (loop $byte
      (local.set $c (local.get $n))
      (local.set $k (i32.const 8))
      (loop $bit
        (local.set $c
          (i32.xor
            (i32.shr_u (local.get $c) (i32.const 1))
            (i32.and (i32.const 0xedb88320) (i32.sub (i32.const 0) (i32.and (local.get $c) (i32.const 1))))))
        (br_if $bit (local.tee $k (i32.sub (local.get $k) (i32.const 1)))))
      (i32.store (i32.shl (local.get $n) (i32.const 2)) (local.get $c))
      (br_if $byte (i32.lt_u (local.tee $n (i32.add (local.get $n) (i32.const 1))) (i32.const 256))))
    ;; table t: a byte followed by t zero bytes, T[t][n] = T[0][T[t-1][n] & 0xff] ^ (T[t-1][n] >> 8)
    (local.set $n (i32.const 256))
    (loop $next
      (local.set $c (i32.load (i32.shl (i32.sub (local.get $n) (i32.const 256)) (i32.const 2))))
      (i32.store (i32.shl (local.get $n) (i32.const 2))
        (i32.xor
          (i32.load (i32.shl (i32.and (local.get $c) (i32.const 0xff)) (i32.const 2)))
          (i32.shr_u (local.get $c) (i32.const 8))))
      (br_if $next (i32.lt_u (local.tee $n (i32.add (local.get $n) (i32.const 1))) (i32.const 4096)))))
  (start $start)

  ;; The CRC of `len` bytes at WINDOW following `crc` (the value so far, 0 to begin): the value after them.
  (func (export "crc32") (param $crc i32) (param $len i32) (result i32)
    (local $c i32) (local $p i32) (local $end i32)
    (local.set $c (i32.xor (local.get $crc) (i32.const -1)))
    (local.set $p (i32.const 65536))
    (local.set $end (i32.add (i32.const 65536) (i32.and (local.get $len) (i32.const -16))))
    (if (i32.lt_u (local.get $p) (local.get $end))
      (then
        (loop $block
          (local.set $c (i32.xor (local.get $c) (i32.load (local.get $p))))
          (local.set $c
            (i32.xor
              (i32.xor
                (i32.xor
                  (i32.xor (i32.load offset=15360 (i32.shl (i32.and (local.get $c) (i32.const 0xff)) (i32.const 2)))
                           (i32.load offset=14336 (i32.and (i32.shr_u (local.get $c) (i32.const 6)) (i32.const 0x3fc))))
                  (i32.xor (i32.load offset=13312 (i32.and (i32.shr_u (local.get $c) (i32.const 14)) (i32.const 0x3fc)))
                           (i32.load offset=12288 (i32.shl (i32.shr_u (local.get $c) (i32.const 24)) (i32.const 2)))))
                (i32.xor
                  (i32.xor (i32.load offset=11264 (i32.shl (i32.load8_u offset=4 (local.get $p)) (i32.const 2)))
                           (i32.load offset=10240 (i32.shl (i32.load8_u offset=5 (local.get $p)) (i32.const 2))))
                  (i32.xor (i32.load offset=9216 (i32.shl (i32.load8_u offset=6 (local.get $p)) (i32.const 2)))
                           (i32.load offset=8192 (i32.shl (i32.load8_u offset=7 (local.get $p)) (i32.const 2))))))
              (i32.xor
                (i32.xor
                  (i32.xor (i32.load offset=7168 (i32.shl (i32.load8_u offset=8 (local.get $p)) (i32.const 2)))
                           (i32.load offset=6144 (i32.shl (i32.load8_u offset=9 (local.get $p)) (i32.const 2))))
                  (i32.xor (i32.load offset=5120 (i32.shl (i32.load8_u offset=10 (local.get $p)) (i32.const 2)))
                           (i32.load offset=4096 (i32.shl (i32.load8_u offset=11 (local.get $p)) (i32.const 2)))))
                (i32.xor
                  (i32.xor (i32.load offset=3072 (i32.shl (i32.load8_u offset=12 (local.get $p)) (i32.const 2)))
                           (i32.load offset=2048 (i32.shl (i32.load8_u offset=13 (local.get $p)) (i32.const 2))))
                  (i32.xor (i32.load offset=1024 (i32.shl (i32.load8_u offset=14 (local.get $p)) (i32.const 2)))
                           (i32.load (i32.shl (i32.load8_u offset=15 (local.get $p)) (i32.const 2))))))))
          (br_if $block (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 16))) (local.get $end))))))
    ;; the last 0-15 bytes, one at a time
    (local.set $end (i32.add (i32.const 65536) (local.get $len)))
    (block $done
      (loop $tail
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $c
          (i32.xor
            (i32.load (i32.shl (i32.and (i32.xor (local.get $c) (i32.load8_u (local.get $p))) (i32.const 0xff))
                               (i32.const 2)))
            (i32.shr_u (local.get $c) (i32.const 8))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $tail)))
    (i32.xor (local.get $c) (i32.const -1))))
