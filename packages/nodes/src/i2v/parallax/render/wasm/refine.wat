;; The denoise steps' noise-to-detail refinement (refine-detail.ts). Each octave, for every synthesized pixel:
;;   acc[o] += amp * bilerp(lattice, fx, fy),  amp = (u / 255) * detail * 255 * gain
;; with the same operations in the same order as the JavaScript it replaced (f64 arithmetic, f32 lattice and
;; accumulator, no fused multiply-add in WebAssembly, SIMD lanes computing as the scalar code), so the refined
;; bytes are the same. amp is the same for every step (the gain depends on the number of steps only): `amps`
;; works it out once per pixel. Per-column and per-row tables (lattice cell, smoothed weight, field cell row) and
;; u / 255 (256 values) are filled by the caller. Also here: the runs of synthesized pixels, each octave's
;; lattice, the refined background and progress previews' backgrounds.
;; Built into refine.wasm by `npm run build:wasm` (wabt).
(module
  (memory (export "memory") 1)

  ;; spans: nspans triples [y, x0, x1) of i32, the synthesized pixels; amp (f64) and acc (f32): one value per pixel
  ;; of the spans, in order.

  ;; amp = (u / 255) * detail * 255 * gain, left to right. unknown: u8 canvas (row stride pw); detail: f32 field;
  ;; qx: i32 field column per canvas column; qrow: i32 first field cell of the row per canvas row; utab: f64 u / 255.
  (func (export "amps")
    (param $spans i32) (param $nspans i32) (param $pw i32)
    (param $unknown i32) (param $detail i32) (param $qx i32) (param $qrow i32) (param $utab i32) (param $gain f64) (param $amp i32)
    (local $s i32) (local $end i32) (local $y i32) (local $x i32) (local $x1 i32) (local $o i32) (local $qRow i32)
    (local.set $s (local.get $spans))
    (local.set $end (i32.add (local.get $spans) (i32.mul (local.get $nspans) (i32.const 12))))
    (block $done
      (loop $span
        (br_if $done (i32.ge_u (local.get $s) (local.get $end)))
        (local.set $y (i32.load (local.get $s)))
        (local.set $x (i32.load offset=4 (local.get $s)))
        (local.set $x1 (i32.load offset=8 (local.get $s)))
        (local.set $qRow (i32.load (i32.add (local.get $qrow) (i32.shl (local.get $y) (i32.const 2)))))
        (local.set $o (i32.add (i32.mul (local.get $y) (local.get $pw)) (local.get $x)))
        (block $spanDone
          (loop $pixel
            (br_if $spanDone (i32.ge_s (local.get $x) (local.get $x1)))
            (f64.store (local.get $amp)
              (f64.mul
                (f64.mul
                  (f64.mul
                    (f64.load (i32.add (local.get $utab) (i32.shl (i32.load8_u (i32.add (local.get $unknown) (local.get $o))) (i32.const 3))))
                    (f64.promote_f32
                      (f32.load
                        (i32.add (local.get $detail)
                          (i32.shl
                            (i32.add (local.get $qRow) (i32.load (i32.add (local.get $qx) (i32.shl (local.get $x) (i32.const 2)))))
                            (i32.const 2))))))
                  (f64.const 255))
                (local.get $gain)))
            (local.set $amp (i32.add (local.get $amp) (i32.const 8)))
            (local.set $o (i32.add (local.get $o) (i32.const 1)))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $pixel)))
        (local.set $s (i32.add (local.get $s) (i32.const 12)))
        (br $span))))

;; hashNoise(i, j, salt) (noise.ts) of every lattice point, lw x lh, as f32: the same integer hash and scaling.
  (func (export "lattice") (param $lat i32) (param $lw i32) (param $lh i32) (param $salt i32)
    (local $i i32) (local $j i32) (local $h i32) (local $row i32) (local $saltMix i32)
    (local.set $saltMix (i32.mul (local.get $salt) (i32.const 0x9e3779b1)))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $j) (local.get $lh)))
        (local.set $row (i32.xor (i32.mul (local.get $j) (i32.const 0x165667b1)) (local.get $saltMix)))
        (local.set $i (i32.const 0))
        (block $rowDone
          (loop $cols
            (br_if $rowDone (i32.ge_s (local.get $i) (local.get $lw)))
            (local.set $h (i32.xor (i32.mul (local.get $i) (i32.const 0x27d4eb2d)) (local.get $row)))
            (local.set $h (i32.mul (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 15))) (i32.const 0x85ebca6b)))
            (local.set $h (i32.mul (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 13))) (i32.const 0xc2b2ae35)))
            (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))
            (f32.store (local.get $lat)
              (f32.demote_f64
                (f64.sub
                  (f64.mul (f64.div (f64.convert_i32_u (local.get $h)) (f64.const 4294967296)) (f64.const 2))
                  (f64.const 1))))
            (local.set $lat (i32.add (local.get $lat) (i32.const 4)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $cols)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $rows))))

  ;; acc += amp * bilerp. lat: f32 lattice (row stride lw); ix, fx: i32 lattice column and f64 weight
  ;; per canvas column; iy, fy: the same per row. The bilerp's terms that hold across a lattice cell (the cell's
  ;; corner values' differences, and the row's share (c - a) * fy) are worked out once per cell.
  (func (export "octave")
    (param $spans i32) (param $nspans i32) (param $amp i32)
    (param $lat i32) (param $lw i32) (param $ix i32) (param $fx i32) (param $iy i32) (param $fy i32)
    (param $acc i32)
    (local $s i32) (local $end i32) (local $y i32) (local $x i32) (local $x1 i32)
    (local $latRow i32) (local $lwb i32) (local $p i32) (local $cell i32) (local $last i32)
    (local $fyv f64) (local $fxv f64) (local $a f64) (local $b f64) (local $c f64) (local $d f64)
    (local $ba f64) (local $cay f64) (local $abcd f64)
    (local $fy2 v128) (local $fx2 v128) (local $a2 v128) (local $ba2 v128) (local $cay2 v128) (local $abcd2 v128)
    (local.set $lwb (i32.shl (local.get $lw) (i32.const 2)))
    (local.set $s (local.get $spans))
    (local.set $end (i32.add (local.get $spans) (i32.mul (local.get $nspans) (i32.const 12))))
    (block $done
      (loop $span
        (br_if $done (i32.ge_u (local.get $s) (local.get $end)))
        (local.set $y (i32.load (local.get $s)))
        (local.set $x (i32.load offset=4 (local.get $s)))
        (local.set $x1 (i32.load offset=8 (local.get $s)))
        (local.set $fyv (f64.load (i32.add (local.get $fy) (i32.shl (local.get $y) (i32.const 3)))))
        (local.set $fy2 (f64x2.splat (local.get $fyv)))
        (local.set $latRow (i32.mul (i32.load (i32.add (local.get $iy) (i32.shl (local.get $y) (i32.const 2)))) (local.get $lw)))
        (local.set $last (i32.const -1))
        (block $spanDone
          (loop $pixel
            (br_if $spanDone (i32.ge_s (local.get $x) (local.get $x1)))
            (local.set $cell (i32.load (i32.add (local.get $ix) (i32.shl (local.get $x) (i32.const 2)))))
            (if (i32.ne (local.get $cell) (local.get $last))
              (then
                (local.set $last (local.get $cell))
                (local.set $p (i32.add (local.get $lat) (i32.shl (i32.add (local.get $latRow) (local.get $cell)) (i32.const 2))))
                (local.set $a (f64.promote_f32 (f32.load (local.get $p))))
                (local.set $b (f64.promote_f32 (f32.load offset=4 (local.get $p))))
                (local.set $p (i32.add (local.get $p) (local.get $lwb)))
                (local.set $c (f64.promote_f32 (f32.load (local.get $p))))
                (local.set $d (f64.promote_f32 (f32.load offset=4 (local.get $p))))
                (local.set $ba (f64.sub (local.get $b) (local.get $a)))
                (local.set $cay (f64.mul (f64.sub (local.get $c) (local.get $a)) (local.get $fyv)))
                (local.set $abcd (f64.add (f64.sub (f64.sub (local.get $a) (local.get $b)) (local.get $c)) (local.get $d)))
                (local.set $a2 (f64x2.splat (local.get $a)))
                (local.set $ba2 (f64x2.splat (local.get $ba)))
                (local.set $cay2 (f64x2.splat (local.get $cay)))
                (local.set $abcd2 (f64x2.splat (local.get $abcd)))))
            ;; acc += amp * (a + (b - a) * fx + (c - a) * fy + (a - b - c + d) * fx * fy): two pixels at once where
            ;; the next one shares the lattice cell (lane by lane the same operations), else this one alone.
            (if (i32.and
                  (i32.lt_s (i32.add (local.get $x) (i32.const 1)) (local.get $x1))
                  (i32.eq (i32.load offset=4 (i32.add (local.get $ix) (i32.shl (local.get $x) (i32.const 2)))) (local.get $cell)))
              (then
                (local.set $fx2 (v128.load (i32.add (local.get $fx) (i32.shl (local.get $x) (i32.const 3)))))
                (v128.store64_lane 0 (local.get $acc)
                  (f32x4.demote_f64x2_zero
                    (f64x2.add
                      (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $acc)))
                      (f64x2.mul
                        (v128.load (local.get $amp))
                        (f64x2.add
                          (f64x2.add
                            (f64x2.add (local.get $a2) (f64x2.mul (local.get $ba2) (local.get $fx2)))
                            (local.get $cay2))
                          (f64x2.mul (f64x2.mul (local.get $abcd2) (local.get $fx2)) (local.get $fy2)))))))
                (local.set $amp (i32.add (local.get $amp) (i32.const 16)))
                (local.set $acc (i32.add (local.get $acc) (i32.const 8)))
                (local.set $x (i32.add (local.get $x) (i32.const 2))))
              (else
                (local.set $fxv (f64.load (i32.add (local.get $fx) (i32.shl (local.get $x) (i32.const 3)))))
                (f32.store (local.get $acc)
                  (f32.demote_f64
                    (f64.add
                      (f64.promote_f32 (f32.load (local.get $acc)))
                      (f64.mul
                        (f64.load (local.get $amp))
                        (f64.add
                          (f64.add
                            (f64.add (local.get $a) (f64.mul (local.get $ba) (local.get $fxv)))
                            (local.get $cay))
                          (f64.mul (f64.mul (local.get $abcd) (local.get $fxv)) (local.get $fyv)))))))
                (local.set $amp (i32.add (local.get $amp) (i32.const 8)))
                (local.set $acc (i32.add (local.get $acc) (i32.const 4)))
                (local.set $x (i32.add (local.get $x) (i32.const 1)))))
            (br $pixel)))
        (local.set $s (i32.add (local.get $s) (i32.const 12)))
        (br $span))))

  ;; The background with the detail: out (the background's RGB bytes, canvas row stride pw) takes acc on every
  ;; synthesized pixel, rounded half to even and clamped to 0..255, as a Uint8ClampedArray store does (the sum
  ;; is finite and within a few hundred of 0..255, so rounding first and clamping the integer is the same; and
  ;; compare-and-select, as f64.min and f64.max are slow for their NaN rules).
  (func (export "result") (param $spans i32) (param $nspans i32) (param $pw i32) (param $acc i32) (param $out i32)
    (local $s i32) (local $end i32) (local $x i32) (local $x1 i32) (local $p i32) (local $a f64) (local $r i32)
    (local.set $s (local.get $spans))
    (local.set $end (i32.add (local.get $spans) (i32.mul (local.get $nspans) (i32.const 12))))
    (block $done
      (loop $span
        (br_if $done (i32.ge_u (local.get $s) (local.get $end)))
        (local.set $x (i32.load offset=4 (local.get $s)))
        (local.set $x1 (i32.load offset=8 (local.get $s)))
        (local.set $p
          (i32.add (local.get $out)
            (i32.mul (i32.add (i32.mul (i32.load (local.get $s)) (local.get $pw)) (local.get $x)) (i32.const 3))))
        (block $spanDone
          (loop $pixel
            (br_if $spanDone (i32.ge_s (local.get $x) (local.get $x1)))
            (local.set $a (f64.promote_f32 (f32.load (local.get $acc))))
            (local.set $r (i32.trunc_f64_s (f64.nearest (f64.add (f64.convert_i32_s (i32.load8_u (local.get $p))) (local.get $a)))))
            (i32.store8 (local.get $p)
              (select (i32.const 0) (select (i32.const 255) (local.get $r) (i32.gt_s (local.get $r) (i32.const 255))) (i32.lt_s (local.get $r) (i32.const 0))))
            (local.set $r (i32.trunc_f64_s (f64.nearest (f64.add (f64.convert_i32_s (i32.load8_u offset=1 (local.get $p))) (local.get $a)))))
            (i32.store8 offset=1 (local.get $p)
              (select (i32.const 0) (select (i32.const 255) (local.get $r) (i32.gt_s (local.get $r) (i32.const 255))) (i32.lt_s (local.get $r) (i32.const 0))))
            (local.set $r (i32.trunc_f64_s (f64.nearest (f64.add (f64.convert_i32_s (i32.load8_u offset=2 (local.get $p))) (local.get $a)))))
            (i32.store8 offset=2 (local.get $p)
              (select (i32.const 0) (select (i32.const 255) (local.get $r) (i32.gt_s (local.get $r) (i32.const 255))) (i32.lt_s (local.get $r) (i32.const 0))))
            (local.set $acc (i32.add (local.get $acc) (i32.const 4)))
            (local.set $p (i32.add (local.get $p) (i32.const 3)))
            (local.set $x (i32.add (local.get $x) (i32.const 1)))
            (br $pixel)))
        (local.set $s (i32.add (local.get $s) (i32.const 12)))
        (br $span))));; Runs of nonzero bytes in every row of a pw x ph byte canvas, as [y, x0, x1) triples of i32 written at out;
  ;; with out = 0 they are only counted. Returns how many.
  (func (export "runs") (param $canvas i32) (param $pw i32) (param $ph i32) (param $out i32) (result i32)
    (local $y i32) (local $x i32) (local $x0 i32) (local $row i32) (local $n i32)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $y) (local.get $ph)))
        (local.set $row (i32.add (local.get $canvas) (i32.mul (local.get $y) (local.get $pw))))
        (local.set $x (i32.const 0))
        (block $rowDone
          (loop $run
            ;; Skip the zeros, then take the run of nonzero bytes.
            (block $found
              (loop $zeros
                (br_if $rowDone (i32.ge_s (local.get $x) (local.get $pw)))
                (br_if $found (i32.load8_u (i32.add (local.get $row) (local.get $x))))
                (local.set $x (i32.add (local.get $x) (i32.const 1)))
                (br $zeros)))
            (local.set $x0 (local.get $x))
            (block $ended
              (loop $ones
                (br_if $ended (i32.ge_s (local.get $x) (local.get $pw)))
                (br_if $ended (i32.eqz (i32.load8_u (i32.add (local.get $row) (local.get $x)))))
                (local.set $x (i32.add (local.get $x) (i32.const 1)))
                (br $ones)))
            (if (local.get $out)
              (then
                (i32.store (local.get $out) (local.get $y))
                (i32.store offset=4 (local.get $out) (local.get $x0))
                (i32.store offset=8 (local.get $out) (local.get $x))
                (local.set $out (i32.add (local.get $out) (i32.const 12)))))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (br $run)))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $rows)))
    (local.get $n))
;; A progress preview's background: out = base (bytes), then each of n targets [j, i00, i10, i01, i11] (i32)
  ;; takes the mean of acc at its four indices on its pixel j (RGB, ToUint8Clamp as in `result`).
  (func (export "preview") (param $targets i32) (param $n i32) (param $acc i32) (param $base i32) (param $out i32) (param $bytes i32)
    (local $end i32) (local $p i32) (local $a f64) (local $r i32)
    (memory.copy (local.get $out) (local.get $base) (local.get $bytes))
    (local.set $end (i32.add (local.get $targets) (i32.mul (local.get $n) (i32.const 20))))
    (block $done
      (loop $target
        (br_if $done (i32.ge_u (local.get $targets) (local.get $end)))
        ;; a = (d00 + d10 + d01 + d11) / 4, left to right
        (local.set $a
          (f64.div
            (f64.add
              (f64.add
                (f64.add
                  (f64.promote_f32 (f32.load (i32.add (local.get $acc) (i32.shl (i32.load offset=4 (local.get $targets)) (i32.const 2)))))
                  (f64.promote_f32 (f32.load (i32.add (local.get $acc) (i32.shl (i32.load offset=8 (local.get $targets)) (i32.const 2))))))
                (f64.promote_f32 (f32.load (i32.add (local.get $acc) (i32.shl (i32.load offset=12 (local.get $targets)) (i32.const 2))))))
              (f64.promote_f32 (f32.load (i32.add (local.get $acc) (i32.shl (i32.load offset=16 (local.get $targets)) (i32.const 2))))))
            (f64.const 4)))
        (local.set $p (i32.add (local.get $out) (i32.mul (i32.load (local.get $targets)) (i32.const 3))))
        (local.set $r (i32.trunc_f64_s (f64.nearest (f64.add (f64.convert_i32_s (i32.load8_u (local.get $p))) (local.get $a)))))
        (i32.store8 (local.get $p)
          (select (i32.const 0) (select (i32.const 255) (local.get $r) (i32.gt_s (local.get $r) (i32.const 255))) (i32.lt_s (local.get $r) (i32.const 0))))
        (local.set $r (i32.trunc_f64_s (f64.nearest (f64.add (f64.convert_i32_s (i32.load8_u offset=1 (local.get $p))) (local.get $a)))))
        (i32.store8 offset=1 (local.get $p)
          (select (i32.const 0) (select (i32.const 255) (local.get $r) (i32.gt_s (local.get $r) (i32.const 255))) (i32.lt_s (local.get $r) (i32.const 0))))
        (local.set $r (i32.trunc_f64_s (f64.nearest (f64.add (f64.convert_i32_s (i32.load8_u offset=2 (local.get $p))) (local.get $a)))))
        (i32.store8 offset=2 (local.get $p)
          (select (i32.const 0) (select (i32.const 255) (local.get $r) (i32.gt_s (local.get $r) (i32.const 255))) (i32.lt_s (local.get $r) (i32.const 0))))
        (local.set $targets (i32.add (local.get $targets) (i32.const 20)))
        (br $target))))
;; Where a preview pixel's 2x2 full canvas pixels keep their detail. xs (nx) and ys (ny): each preview column's
  ;; and row's first canvas column and row (ascending). rowStart (i32 per canvas row + 1): the first run of each row,
  ;; in run units; before (i32 per run): synthesized pixels before the run. Writes [preview pixel, i00, i10, i01,
  ;; i11] (i32) at out for every preview pixel with a synthesized one among its four (known ones: index `known`).
  ;; Returns how many.
  (func (export "taps")
    (param $spans i32) (param $rowStart i32) (param $before i32) (param $known i32)
    (param $xs i32) (param $nx i32) (param $ys i32) (param $ny i32) (param $out i32) (result i32)
    (local $py i32) (local $px i32) (local $y i32) (local $x i32) (local $n i32)
    (local $r0 i32) (local $e0 i32) (local $r1 i32) (local $e1 i32)
    (local $i00 i32) (local $i10 i32) (local $i01 i32) (local $i11 i32)
    (block $done
      (loop $rows
        (br_if $done (i32.ge_s (local.get $py) (local.get $ny)))
        (local.set $y (i32.load (i32.add (local.get $ys) (i32.shl (local.get $py) (i32.const 2)))))
        ;; Runs of canvas rows y and y + 1, walked once each along the row.
        (local.set $r0 (i32.load (i32.add (local.get $rowStart) (i32.shl (local.get $y) (i32.const 2)))))
        (local.set $e0 (i32.load offset=4 (i32.add (local.get $rowStart) (i32.shl (local.get $y) (i32.const 2)))))
        (local.set $r1 (local.get $e0))
        (local.set $e1 (i32.load offset=8 (i32.add (local.get $rowStart) (i32.shl (local.get $y) (i32.const 2)))))
        (local.set $px (i32.const 0))
        (block $rowDone
          (loop $cols
            (br_if $rowDone (i32.ge_s (local.get $px) (local.get $nx)))
            (local.set $x (i32.load (i32.add (local.get $xs) (i32.shl (local.get $px) (i32.const 2)))))
            (local.set $r0 (call $skip (local.get $spans) (local.get $r0) (local.get $e0) (local.get $x)))
            (local.set $r1 (call $skip (local.get $spans) (local.get $r1) (local.get $e1) (local.get $x)))
            (local.set $i00 (call $at (local.get $spans) (local.get $before) (local.get $r0) (local.get $e0) (local.get $x) (local.get $known)))
            (local.set $i10 (call $at (local.get $spans) (local.get $before)
              (call $skip (local.get $spans) (local.get $r0) (local.get $e0) (i32.add (local.get $x) (i32.const 1)))
              (local.get $e0) (i32.add (local.get $x) (i32.const 1)) (local.get $known)))
            (local.set $i01 (call $at (local.get $spans) (local.get $before) (local.get $r1) (local.get $e1) (local.get $x) (local.get $known)))
            (local.set $i11 (call $at (local.get $spans) (local.get $before)
              (call $skip (local.get $spans) (local.get $r1) (local.get $e1) (i32.add (local.get $x) (i32.const 1)))
              (local.get $e1) (i32.add (local.get $x) (i32.const 1)) (local.get $known)))
            (if (i32.eqz (i32.and
                  (i32.and (i32.eq (local.get $i00) (local.get $known)) (i32.eq (local.get $i10) (local.get $known)))
                  (i32.and (i32.eq (local.get $i01) (local.get $known)) (i32.eq (local.get $i11) (local.get $known)))))
              (then
                (i32.store (local.get $out) (i32.add (i32.mul (local.get $py) (local.get $nx)) (local.get $px)))
                (i32.store offset=4 (local.get $out) (local.get $i00))
                (i32.store offset=8 (local.get $out) (local.get $i10))
                (i32.store offset=12 (local.get $out) (local.get $i01))
                (i32.store offset=16 (local.get $out) (local.get $i11))
                (local.set $out (i32.add (local.get $out) (i32.const 20)))
                (local.set $n (i32.add (local.get $n) (i32.const 1)))))
            (local.set $px (i32.add (local.get $px) (i32.const 1)))
            (br $cols)))
        (local.set $py (i32.add (local.get $py) (i32.const 1)))
        (br $rows)))
    (local.get $n))

  ;; The first run from r (before e) that ends after column x.
  (func $skip (param $spans i32) (param $r i32) (param $e i32) (param $x i32) (result i32)
    (block $found
      (loop $next
        (br_if $found (i32.ge_s (local.get $r) (local.get $e)))
        (br_if $found (i32.gt_s (i32.load offset=8 (i32.add (local.get $spans) (i32.mul (local.get $r) (i32.const 12)))) (local.get $x)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $next)))
    (local.get $r))

  ;; Where column x's detail is, given r = the first run ending after it: in run r if it has begun, else known.
  (func $at (param $spans i32) (param $before i32) (param $r i32) (param $e i32) (param $x i32) (param $known i32) (result i32)
    (local $x0 i32)
    (if (result i32) (i32.lt_s (local.get $r) (local.get $e))
      (then
        (local.set $x0 (i32.load offset=4 (i32.add (local.get $spans) (i32.mul (local.get $r) (i32.const 12)))))
        (select
          (i32.add (i32.load (i32.add (local.get $before) (i32.shl (local.get $r) (i32.const 2)))) (i32.sub (local.get $x) (local.get $x0)))
          (local.get $known)
          (i32.le_s (local.get $x0) (local.get $x))))
      (else (local.get $known))))
)
