;; The renderer's hottest loops in WebAssembly: the layers of one I420 frame (the background, then the subject
;; over it), each sampled through the frame's coarse source-coordinate grids (8 px cells): luma at every pixel,
;; chroma once per 2x2 block, every layer held as byte planes (luma, Cb, Cr, and the subject's alpha at both
;; resolutions). Eight samples at a time with SIMD (16-bit lanes; each lane gathers its taps with 16-bit lane
;; loads), single samples at row ends with the same arithmetic. Integer fixed point: coordinates in 1/4096 px,
;; 7-bit weights. Built into layers.wasm by `npm run build:wasm` (wabt); the JavaScript twin is the RGB path
;; in sample-layers.ts.
(module
  (memory (export "memory") 1)

  ;; row[i] = grid[r0 + i] + (grid[r0 + gw + i] - grid[r0 + i]) * f, for i in 0..gw-1 (f32 arrays).
  (func $gridRow (param $grid i32) (param $r0 i32) (param $gw i32) (param $f f32) (param $row i32)
    (local $i i32) (local $p i32) (local $a f32)
    (local.set $p (i32.add (local.get $grid) (i32.shl (local.get $r0) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $gw)))
        (local.set $a (f32.load (local.get $p)))
        (f32.store
          (i32.add (local.get $row) (i32.shl (local.get $i) (i32.const 2)))
          (f32.add (local.get $a)
            (f32.mul (f32.sub (f32.load (i32.add (local.get $p) (i32.shl (local.get $gw) (i32.const 2)))) (local.get $a)) (local.get $f))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; Eight bilinear samples (16-bit lanes, 0..255) of a byte plane (row stride $stride) at the positions
  ;; xs (lanes 0-3), xs2 (lanes 4-7), ys, ys2, all at or beyond 0. Each blend: taps x-weighted then >> 7, then
  ;; y-weighted with rounding; every product fits 16 bits (255 x 128).
  (func $sample8 (param $plane i32) (param $stride i32) (param $xs v128) (param $xs2 v128) (param $ys v128) (param $ys2 v128) (result v128)
    (local $idx v128) (local $idx2 v128) (local $ax v128) (local $ay v128) (local $t v128) (local $b v128) (local $top v128) (local $bot v128) (local $i i32)
    (local.set $idx (i32x4.add (i32x4.mul (i32x4.shr_s (local.get $ys) (i32.const 12)) (i32x4.splat (local.get $stride))) (i32x4.shr_s (local.get $xs) (i32.const 12))))
    (local.set $idx2 (i32x4.add (i32x4.mul (i32x4.shr_s (local.get $ys2) (i32.const 12)) (i32x4.splat (local.get $stride))) (i32x4.shr_s (local.get $xs2) (i32.const 12))))
    (local.set $ax (i16x8.narrow_i32x4_s
      (v128.and (i32x4.shr_s (local.get $xs) (i32.const 5)) (v128.const i32x4 127 127 127 127))
      (v128.and (i32x4.shr_s (local.get $xs2) (i32.const 5)) (v128.const i32x4 127 127 127 127))))
    (local.set $ay (i16x8.narrow_i32x4_s
      (v128.and (i32x4.shr_s (local.get $ys) (i32.const 5)) (v128.const i32x4 127 127 127 127))
      (v128.and (i32x4.shr_s (local.get $ys2) (i32.const 5)) (v128.const i32x4 127 127 127 127))))
    (local.set $i (i32.add (local.get $plane) (i32x4.extract_lane 0 (local.get $idx))))
    (local.set $t (v128.load16_lane 0 (local.get $i) (local.get $t)))
    (local.set $b (v128.load16_lane 0 (i32.add (local.get $i) (local.get $stride)) (local.get $b)))
    (local.set $i (i32.add (local.get $plane) (i32x4.extract_lane 1 (local.get $idx))))
    (local.set $t (v128.load16_lane 1 (local.get $i) (local.get $t)))
    (local.set $b (v128.load16_lane 1 (i32.add (local.get $i) (local.get $stride)) (local.get $b)))
    (local.set $i (i32.add (local.get $plane) (i32x4.extract_lane 2 (local.get $idx))))
    (local.set $t (v128.load16_lane 2 (local.get $i) (local.get $t)))
    (local.set $b (v128.load16_lane 2 (i32.add (local.get $i) (local.get $stride)) (local.get $b)))
    (local.set $i (i32.add (local.get $plane) (i32x4.extract_lane 3 (local.get $idx))))
    (local.set $t (v128.load16_lane 3 (local.get $i) (local.get $t)))
    (local.set $b (v128.load16_lane 3 (i32.add (local.get $i) (local.get $stride)) (local.get $b)))
    (local.set $i (i32.add (local.get $plane) (i32x4.extract_lane 0 (local.get $idx2))))
    (local.set $t (v128.load16_lane 4 (local.get $i) (local.get $t)))
    (local.set $b (v128.load16_lane 4 (i32.add (local.get $i) (local.get $stride)) (local.get $b)))
    (local.set $i (i32.add (local.get $plane) (i32x4.extract_lane 1 (local.get $idx2))))
    (local.set $t (v128.load16_lane 5 (local.get $i) (local.get $t)))
    (local.set $b (v128.load16_lane 5 (i32.add (local.get $i) (local.get $stride)) (local.get $b)))
    (local.set $i (i32.add (local.get $plane) (i32x4.extract_lane 2 (local.get $idx2))))
    (local.set $t (v128.load16_lane 6 (local.get $i) (local.get $t)))
    (local.set $b (v128.load16_lane 6 (i32.add (local.get $i) (local.get $stride)) (local.get $b)))
    (local.set $i (i32.add (local.get $plane) (i32x4.extract_lane 3 (local.get $idx2))))
    (local.set $t (v128.load16_lane 7 (local.get $i) (local.get $t)))
    (local.set $b (v128.load16_lane 7 (i32.add (local.get $i) (local.get $stride)) (local.get $b)))
    ;; Low byte: the left tap, high byte: the right one (little-endian).
    (local.set $top (i16x8.shr_u
      (i16x8.add
        (i16x8.mul (v128.and (local.get $t) (v128.const i16x8 255 255 255 255 255 255 255 255)) (i16x8.sub (i16x8.splat (i32.const 128)) (local.get $ax)))
        (i16x8.mul (i16x8.shr_u (local.get $t) (i32.const 8)) (local.get $ax)))
      (i32.const 7)))
    (local.set $bot (i16x8.shr_u
      (i16x8.add
        (i16x8.mul (v128.and (local.get $b) (v128.const i16x8 255 255 255 255 255 255 255 255)) (i16x8.sub (i16x8.splat (i32.const 128)) (local.get $ax)))
        (i16x8.mul (i16x8.shr_u (local.get $b) (i32.const 8)) (local.get $ax)))
      (i32.const 7)))
    (i16x8.shr_u
      (i16x8.add
        (i16x8.add (i16x8.mul (local.get $top) (i16x8.sub (i16x8.splat (i32.const 128)) (local.get $ay))) (i16x8.mul (local.get $bot) (local.get $ay)))
        (i16x8.splat (i32.const 64)))
      (i32.const 7)))

  ;; One bilinear sample of a byte plane at (X, Y) (at or beyond 0), with $sample8's arithmetic.
  (func $sample1 (param $plane i32) (param $stride i32) (param $X i32) (param $Y i32) (result i32)
    (local $i i32) (local $ax i32) (local $ay i32) (local $bx i32) (local $top i32) (local $bot i32)
    (local.set $i (i32.add (local.get $plane)
      (i32.add (i32.mul (i32.shr_s (local.get $Y) (i32.const 12)) (local.get $stride)) (i32.shr_s (local.get $X) (i32.const 12)))))
    (local.set $ax (i32.and (i32.shr_s (local.get $X) (i32.const 5)) (i32.const 127)))
    (local.set $ay (i32.and (i32.shr_s (local.get $Y) (i32.const 5)) (i32.const 127)))
    (local.set $bx (i32.sub (i32.const 128) (local.get $ax)))
    (local.set $top (i32.shr_u
      (i32.add (i32.mul (i32.load8_u (local.get $i)) (local.get $bx)) (i32.mul (i32.load8_u offset=1 (local.get $i)) (local.get $ax)))
      (i32.const 7)))
    (local.set $i (i32.add (local.get $i) (local.get $stride)))
    (local.set $bot (i32.shr_u
      (i32.add (i32.mul (i32.load8_u (local.get $i)) (local.get $bx)) (i32.mul (i32.load8_u offset=1 (local.get $i)) (local.get $ax)))
      (i32.const 7)))
    (i32.shr_u
      (i32.add (i32.add (i32.mul (local.get $top) (i32.sub (i32.const 128) (local.get $ay))) (i32.mul (local.get $bot) (local.get $ay))) (i32.const 64))
      (i32.const 7)))

  ;; Stores eight 16-bit lanes (0..255) as bytes at out.
  (func $store8 (param $out i32) (param $v v128)
    (v128.store64_lane 0 (local.get $out) (i8x16.narrow_i16x8_u (local.get $v) (local.get $v))))

  ;; 1: the subject's planes hold premultiplied values (v·a/255, builtin/parallax-v2), composited as
  ;; out·(1 − a) + v: interpolating premultiplied taps never drags a transparent or faint tap's colour along
  ;; the edge. 0: straight values, out + (v − out)·a (v1, unchanged).
  (global $premul (mut i32) (i32.const 0))
  (func (export "setPremultiplied") (param $on i32)
    (global.set $premul (local.get $on)))

  ;; Blends eight values over the bytes at out with alphas 0..255 (as 0..128: a + a/128, halved).
  (func $blend8 (param $out i32) (param $v v128) (param $a v128)
    (local $o v128)
    (local.set $a (i16x8.shr_u (i16x8.add (local.get $a) (i16x8.shr_u (local.get $a) (i32.const 7))) (i32.const 1)))
    (local.set $o (i16x8.extend_low_i8x16_u (v128.load64_zero (local.get $out))))
    (if (global.get $premul)
      (then
        ;; o·a ≤ 255·128 fits a 16-bit lane; store8 saturates a sum a rounding step over 255.
        (call $store8 (local.get $out)
          (i16x8.add (i16x8.sub (local.get $o)
            (i16x8.shr_u (i16x8.add (i16x8.mul (local.get $o) (local.get $a)) (i16x8.splat (i32.const 64))) (i32.const 7)))
            (local.get $v))))
      (else
        (call $store8 (local.get $out)
          (i16x8.add (local.get $o)
            (i16x8.shr_s (i16x8.add (i16x8.mul (i16x8.sub (local.get $v) (local.get $o)) (local.get $a)) (i16x8.splat (i32.const 64))) (i32.const 7)))))))

  (func $blend1 (param $out i32) (param $v i32) (param $a i32)
    (local $o i32) (local $r i32)
    (local.set $a (i32.shr_u (i32.add (local.get $a) (i32.shr_u (local.get $a) (i32.const 7))) (i32.const 1)))
    (local.set $o (i32.load8_u (local.get $out)))
    (if (global.get $premul)
      (then
        (local.set $r (i32.add (i32.sub (local.get $o)
          (i32.shr_u (i32.add (i32.mul (local.get $o) (local.get $a)) (i32.const 64)) (i32.const 7))) (local.get $v)))
        (i32.store8 (local.get $out) (select (i32.const 255) (local.get $r) (i32.gt_s (local.get $r) (i32.const 255)))))
      (else
        (i32.store8 (local.get $out)
          (i32.add (local.get $o) (i32.shr_s (i32.add (i32.mul (i32.sub (local.get $v) (local.get $o)) (local.get $a)) (i32.const 64)) (i32.const 7)))))))

  ;; ---- The background: every pixel and block of the frame, from the padded canvas (the grid is clamped to it
  ;; by the caller; positions below 0 by a fraction, at the first chroma block, are clamped to 0). ----

  ;; One row of luma: W pixels into out, from the luma plane (row stride pw).
  (func $lumaRow (param $lum i32) (param $pw i32) (param $rowX i32) (param $rowY i32) (param $W i32) (param $out i32)
    (local $p i32) (local $fa f32) (local $fs f32)
    (local $x i32) (local $g i32) (local $k i32) (local $X i32) (local $dX i32) (local $Y i32) (local $dY i32)
    (block $rowDone
      (loop $cell
        (br_if $rowDone (i32.ge_s (local.get $x) (local.get $W)))
        (local.set $g (i32.shr_s (local.get $x) (i32.const 3)))
        (local.set $p (i32.add (local.get $rowX) (i32.shl (local.get $g) (i32.const 2))))
        (local.set $fa (f32.load (local.get $p)))
        (local.set $X (i32.trunc_sat_f32_s (f32.nearest (f32.mul (local.get $fa) (f32.const 4096)))))
        (local.set $dX (i32.trunc_sat_f32_s (f32.nearest (f32.mul (f32.sub (f32.load offset=4 (local.get $p)) (local.get $fa)) (f32.const 512)))))
        (local.set $p (i32.add (local.get $rowY) (i32.shl (local.get $g) (i32.const 2))))
        (local.set $fa (f32.load (local.get $p)))
        (local.set $Y (i32.trunc_sat_f32_s (f32.nearest (f32.mul (local.get $fa) (f32.const 4096)))))
        (local.set $dY (i32.trunc_sat_f32_s (f32.nearest (f32.mul (f32.sub (f32.load offset=4 (local.get $p)) (local.get $fa)) (f32.const 512)))))
        (if (i32.le_s (i32.add (local.get $x) (i32.const 8)) (local.get $W))
          (then
            (call $store8 (i32.add (local.get $out) (local.get $x))
              (call $sample8 (local.get $lum) (local.get $pw)
                (i32x4.max_s (i32x4.add (i32x4.splat (local.get $X)) (i32x4.mul (i32x4.splat (local.get $dX)) (v128.const i32x4 0 1 2 3))) (i32x4.splat (i32.const 0)))
                (i32x4.max_s (i32x4.add (i32x4.splat (i32.add (local.get $X) (i32.shl (local.get $dX) (i32.const 2)))) (i32x4.mul (i32x4.splat (local.get $dX)) (v128.const i32x4 0 1 2 3))) (i32x4.splat (i32.const 0)))
                (i32x4.max_s (i32x4.add (i32x4.splat (local.get $Y)) (i32x4.mul (i32x4.splat (local.get $dY)) (v128.const i32x4 0 1 2 3))) (i32x4.splat (i32.const 0)))
                (i32x4.max_s (i32x4.add (i32x4.splat (i32.add (local.get $Y) (i32.shl (local.get $dY) (i32.const 2)))) (i32x4.mul (i32x4.splat (local.get $dY)) (v128.const i32x4 0 1 2 3))) (i32x4.splat (i32.const 0)))))
            (local.set $x (i32.add (local.get $x) (i32.const 8)))
            (br $cell)))
        ;; The last, partial cell.
        (local.set $k (i32.const 0))
        (loop $pixel
          (i32.store8 (i32.add (local.get $out) (local.get $x))
            (call $sample1 (local.get $lum) (local.get $pw)
              (select (local.get $X) (i32.const 0) (i32.gt_s (local.get $X) (i32.const 0)))
              (select (local.get $Y) (i32.const 0) (i32.gt_s (local.get $Y) (i32.const 0)))))
          (local.set $X (i32.add (local.get $X) (local.get $dX)))
          (local.set $Y (i32.add (local.get $Y) (local.get $dY)))
          (local.set $x (i32.add (local.get $x) (i32.const 1)))
          (br_if $pixel (i32.lt_s (local.get $x) (local.get $W))))
        (br $cell))))

  ;; One row of chroma: cw blocks into outU and outV from the half-resolution Cb and Cr planes (row stride cs),
  ;; eight blocks (two grid cells) at a time, then block by block. Grid rows at the blocks' vertical centre.
  (func $chromaRow (param $planeU i32) (param $planeV i32) (param $cs i32) (param $rowX i32) (param $rowY i32) (param $cw i32)
    (param $outU i32) (param $outV i32)
    (local $p i32) (local $fa f32) (local $fs f32)
    (local $c i32) (local $g i32) (local $k i32)
    (local $X i32) (local $dX i32) (local $Y i32) (local $dY i32) (local $X2 i32) (local $dX2 i32) (local $Y2 i32) (local $dY2 i32)
    (local $xs v128) (local $xs2 v128) (local $ys v128) (local $ys2 v128)
    (block $rowDone
      (loop $group
        (br_if $rowDone (i32.ge_s (local.get $c) (local.get $cw)))
        (local.set $g (i32.shr_s (local.get $c) (i32.const 2)))
        (local.set $k (i32.and (local.get $c) (i32.const 3)))
        (local.set $p (i32.add (local.get $rowX) (i32.shl (local.get $g) (i32.const 2))))
        (local.set $fa (f32.load (local.get $p)))
        (local.set $fs (f32.mul (f32.sub (f32.load offset=4 (local.get $p)) (local.get $fa)) (f32.const 0.125)))
        (local.set $X (i32.trunc_sat_f32_s (f32.nearest (f32.mul (f32.add (local.get $fa) (f32.sub (f32.mul (local.get $fs) (f32.const 0.5)) (f32.const 0.5))) (f32.const 2048)))))
        (local.set $dX (i32.trunc_sat_f32_s (f32.nearest (f32.mul (local.get $fs) (f32.const 4096)))))
        (local.set $p (i32.add (local.get $rowY) (i32.shl (local.get $g) (i32.const 2))))
        (local.set $fa (f32.load (local.get $p)))
        (local.set $fs (f32.mul (f32.sub (f32.load offset=4 (local.get $p)) (local.get $fa)) (f32.const 0.125)))
        (local.set $Y (i32.trunc_sat_f32_s (f32.nearest (f32.mul (f32.add (local.get $fa) (f32.sub (f32.mul (local.get $fs) (f32.const 0.5)) (f32.const 0.5))) (f32.const 2048)))))
        (local.set $dY (i32.trunc_sat_f32_s (f32.nearest (f32.mul (local.get $fs) (f32.const 4096)))))
        (if (i32.and (i32.eqz (local.get $k)) (i32.le_s (i32.add (local.get $c) (i32.const 8)) (local.get $cw)))
          (then
            (local.set $p (i32.add (local.get $rowX) (i32.shl (i32.add (local.get $g) (i32.const 1)) (i32.const 2))))
        (local.set $fa (f32.load (local.get $p)))
        (local.set $fs (f32.mul (f32.sub (f32.load offset=4 (local.get $p)) (local.get $fa)) (f32.const 0.125)))
        (local.set $X2 (i32.trunc_sat_f32_s (f32.nearest (f32.mul (f32.add (local.get $fa) (f32.sub (f32.mul (local.get $fs) (f32.const 0.5)) (f32.const 0.5))) (f32.const 2048)))))
        (local.set $dX2 (i32.trunc_sat_f32_s (f32.nearest (f32.mul (local.get $fs) (f32.const 4096)))))
            (local.set $p (i32.add (local.get $rowY) (i32.shl (i32.add (local.get $g) (i32.const 1)) (i32.const 2))))
        (local.set $fa (f32.load (local.get $p)))
        (local.set $fs (f32.mul (f32.sub (f32.load offset=4 (local.get $p)) (local.get $fa)) (f32.const 0.125)))
        (local.set $Y2 (i32.trunc_sat_f32_s (f32.nearest (f32.mul (f32.add (local.get $fa) (f32.sub (f32.mul (local.get $fs) (f32.const 0.5)) (f32.const 0.5))) (f32.const 2048)))))
        (local.set $dY2 (i32.trunc_sat_f32_s (f32.nearest (f32.mul (local.get $fs) (f32.const 4096)))))
            (local.set $xs (i32x4.max_s (i32x4.add (i32x4.splat (local.get $X)) (i32x4.mul (i32x4.splat (local.get $dX)) (v128.const i32x4 0 1 2 3))) (i32x4.splat (i32.const 0))))
            (local.set $xs2 (i32x4.max_s (i32x4.add (i32x4.splat (local.get $X2)) (i32x4.mul (i32x4.splat (local.get $dX2)) (v128.const i32x4 0 1 2 3))) (i32x4.splat (i32.const 0))))
            (local.set $ys (i32x4.max_s (i32x4.add (i32x4.splat (local.get $Y)) (i32x4.mul (i32x4.splat (local.get $dY)) (v128.const i32x4 0 1 2 3))) (i32x4.splat (i32.const 0))))
            (local.set $ys2 (i32x4.max_s (i32x4.add (i32x4.splat (local.get $Y2)) (i32x4.mul (i32x4.splat (local.get $dY2)) (v128.const i32x4 0 1 2 3))) (i32x4.splat (i32.const 0))))
            (call $store8 (i32.add (local.get $outU) (local.get $c))
              (call $sample8 (local.get $planeU) (local.get $cs) (local.get $xs) (local.get $xs2) (local.get $ys) (local.get $ys2)))
            (call $store8 (i32.add (local.get $outV) (local.get $c))
              (call $sample8 (local.get $planeV) (local.get $cs) (local.get $xs) (local.get $xs2) (local.get $ys) (local.get $ys2)))
            (local.set $c (i32.add (local.get $c) (i32.const 8)))
            (br $group)))
        ;; A single block: the k-th of its cell.
        (local.set $X (i32.add (local.get $X) (i32.mul (local.get $dX) (local.get $k))))
        (local.set $Y (i32.add (local.get $Y) (i32.mul (local.get $dY) (local.get $k))))
        (local.set $X (select (local.get $X) (i32.const 0) (i32.gt_s (local.get $X) (i32.const 0))))
        (local.set $Y (select (local.get $Y) (i32.const 0) (i32.gt_s (local.get $Y) (i32.const 0))))
        (i32.store8 (i32.add (local.get $outU) (local.get $c)) (call $sample1 (local.get $planeU) (local.get $cs) (local.get $X) (local.get $Y)))
        (i32.store8 (i32.add (local.get $outV) (local.get $c)) (call $sample1 (local.get $planeV) (local.get $cs) (local.get $X) (local.get $Y)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $group))))

  ;; The whole background of a W x H frame (W, H even) into out as I420: luma rows at pixel centres, chroma
  ;; rows at the centre of each pair of rows. gridX/gridY: gw columns per row, 8 px apart. rowX/rowY: scratch.
  (func (export "background")
    (param $W i32) (param $H i32) (param $gw i32) (param $gridX i32) (param $gridY i32) (param $rowX i32) (param $rowY i32)
    (param $lum i32) (param $pw i32) (param $planeU i32) (param $planeV i32) (param $cs i32) (param $out i32)
    (local $y i32) (local $r0 i32) (local $cw i32) (local $u i32) (local $v i32) (local $f f32)
    (local.set $cw (i32.shr_u (local.get $W) (i32.const 1)))
    (local.set $u (i32.add (local.get $out) (i32.mul (local.get $W) (local.get $H))))
    (local.set $v (i32.add (local.get $u) (i32.mul (local.get $cw) (i32.shr_u (local.get $H) (i32.const 1)))))
    (block $done
      (loop $row
        (br_if $done (i32.ge_s (local.get $y) (local.get $H)))
        (local.set $r0 (i32.mul (i32.shr_s (local.get $y) (i32.const 3)) (local.get $gw)))
        (local.set $f (f32.mul (f32.convert_i32_s (i32.and (local.get $y) (i32.const 7))) (f32.const 0.125)))
        (call $gridRow (local.get $gridX) (local.get $r0) (local.get $gw) (local.get $f) (local.get $rowX))
        (call $gridRow (local.get $gridY) (local.get $r0) (local.get $gw) (local.get $f) (local.get $rowY))
        (call $lumaRow (local.get $lum) (local.get $pw) (local.get $rowX) (local.get $rowY) (local.get $W)
          (i32.add (local.get $out) (i32.mul (local.get $y) (local.get $W))))
        (if (i32.eqz (i32.and (local.get $y) (i32.const 1)))
          (then
            (local.set $f (f32.add (local.get $f) (f32.const 0.0625)))
            (call $gridRow (local.get $gridX) (local.get $r0) (local.get $gw) (local.get $f) (local.get $rowX))
            (call $gridRow (local.get $gridY) (local.get $r0) (local.get $gw) (local.get $f) (local.get $rowY))
            (call $chromaRow (local.get $planeU) (local.get $planeV) (local.get $cs) (local.get $rowX) (local.get $rowY) (local.get $cw)
              (i32.add (local.get $u) (i32.mul (i32.shr_u (local.get $y) (i32.const 1)) (local.get $cw)))
              (i32.add (local.get $v) (i32.mul (i32.shr_u (local.get $y) (i32.const 1)) (local.get $cw))))))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $row))))

  ;; ---- The subject: a cut-out plane with a soft matte, over the background already drawn. Samples whose
  ;; position falls outside the subject's box (taps stay inside its planes) are left alone. ----

  ;; One row of subject luma, columns x0..x1, from the subject's luma and alpha planes (row stride sw).
  (func $subjectLumaRow (param $fgY i32) (param $fgA i32) (param $sw i32) (param $box i32) (param $rowX i32) (param $rowY i32)
    (param $x0 i32) (param $x1 i32) (param $out i32)
    (local $p i32) (local $fa f32) (local $fs f32)
    (local $x i32) (local $g i32) (local $k i32) (local $X i32) (local $dX i32) (local $Y i32) (local $dY i32)
    (local $xs v128) (local $xs2 v128) (local $ys v128) (local $ys2 v128) (local $m v128) (local $m2 v128) (local $a v128)
    (local.set $x (local.get $x0))
    (block $rowDone
      (loop $cell
        (br_if $rowDone (i32.ge_s (local.get $x) (local.get $x1)))
        (local.set $g (i32.shr_s (local.get $x) (i32.const 3)))
        (local.set $k (i32.and (local.get $x) (i32.const 7)))
        (local.set $p (i32.add (local.get $rowX) (i32.shl (local.get $g) (i32.const 2))))
        (local.set $fa (f32.load (local.get $p)))
        (local.set $X (i32.trunc_sat_f32_s (f32.nearest (f32.mul (local.get $fa) (f32.const 4096)))))
        (local.set $dX (i32.trunc_sat_f32_s (f32.nearest (f32.mul (f32.sub (f32.load offset=4 (local.get $p)) (local.get $fa)) (f32.const 512)))))
        (local.set $p (i32.add (local.get $rowY) (i32.shl (local.get $g) (i32.const 2))))
        (local.set $fa (f32.load (local.get $p)))
        (local.set $Y (i32.trunc_sat_f32_s (f32.nearest (f32.mul (local.get $fa) (f32.const 4096)))))
        (local.set $dY (i32.trunc_sat_f32_s (f32.nearest (f32.mul (f32.sub (f32.load offset=4 (local.get $p)) (local.get $fa)) (f32.const 512)))))
        (if (i32.and (i32.eqz (local.get $k)) (i32.le_s (i32.add (local.get $x) (i32.const 8)) (local.get $x1)))
          (then
            (local.set $xs (i32x4.add (i32x4.splat (local.get $X)) (i32x4.mul (i32x4.splat (local.get $dX)) (v128.const i32x4 0 1 2 3))))
            (local.set $xs2 (i32x4.add (i32x4.splat (i32.add (local.get $X) (i32.shl (local.get $dX) (i32.const 2)))) (i32x4.mul (i32x4.splat (local.get $dX)) (v128.const i32x4 0 1 2 3))))
            (local.set $ys (i32x4.add (i32x4.splat (local.get $Y)) (i32x4.mul (i32x4.splat (local.get $dY)) (v128.const i32x4 0 1 2 3))))
            (local.set $ys2 (i32x4.add (i32x4.splat (i32.add (local.get $Y) (i32.shl (local.get $dY) (i32.const 2)))) (i32x4.mul (i32x4.splat (local.get $dY)) (v128.const i32x4 0 1 2 3))))
            (local.set $m (v128.and
              (v128.and (i32x4.ge_s (local.get $xs) (v128.load32_splat (local.get $box))) (i32x4.lt_s (local.get $xs) (v128.load32_splat offset=8 (local.get $box))))
              (v128.and (i32x4.ge_s (local.get $ys) (v128.load32_splat offset=4 (local.get $box))) (i32x4.lt_s (local.get $ys) (v128.load32_splat offset=12 (local.get $box))))))
            (local.set $m2 (v128.and
              (v128.and (i32x4.ge_s (local.get $xs2) (v128.load32_splat (local.get $box))) (i32x4.lt_s (local.get $xs2) (v128.load32_splat offset=8 (local.get $box))))
              (v128.and (i32x4.ge_s (local.get $ys2) (v128.load32_splat offset=4 (local.get $box))) (i32x4.lt_s (local.get $ys2) (v128.load32_splat offset=12 (local.get $box))))))
            (if (v128.any_true (v128.or (local.get $m) (local.get $m2)))
              (then
                ;; Lanes outside the box read the planes' first taps (harmless) and get no alpha.
                (local.set $xs (v128.and (local.get $xs) (local.get $m)))
                (local.set $ys (v128.and (local.get $ys) (local.get $m)))
                (local.set $xs2 (v128.and (local.get $xs2) (local.get $m2)))
                (local.set $ys2 (v128.and (local.get $ys2) (local.get $m2)))
                (local.set $a (v128.and
                  (call $sample8 (local.get $fgA) (local.get $sw) (local.get $xs) (local.get $xs2) (local.get $ys) (local.get $ys2))
                  (i16x8.narrow_i32x4_s (local.get $m) (local.get $m2))))
                (if (v128.any_true (local.get $a))
                  (then
                    (call $blend8 (i32.add (local.get $out) (local.get $x))
                      (call $sample8 (local.get $fgY) (local.get $sw) (local.get $xs) (local.get $xs2) (local.get $ys) (local.get $ys2))
                      (local.get $a))))))
            (local.set $x (i32.add (local.get $x) (i32.const 8)))
            (br $cell)))
        ;; A single pixel: the k-th of its cell.
        (local.set $X (i32.add (local.get $X) (i32.mul (local.get $dX) (local.get $k))))
        (local.set $Y (i32.add (local.get $Y) (i32.mul (local.get $dY) (local.get $k))))
        (if (i32.and
              (i32.and (i32.ge_s (local.get $X) (i32.load (local.get $box))) (i32.lt_s (local.get $X) (i32.load offset=8 (local.get $box))))
              (i32.and (i32.ge_s (local.get $Y) (i32.load offset=4 (local.get $box))) (i32.lt_s (local.get $Y) (i32.load offset=12 (local.get $box)))))
          (then
            (call $blend1 (i32.add (local.get $out) (local.get $x))
              (call $sample1 (local.get $fgY) (local.get $sw) (local.get $X) (local.get $Y))
              (call $sample1 (local.get $fgA) (local.get $sw) (local.get $X) (local.get $Y)))))
        (local.set $x (i32.add (local.get $x) (i32.const 1)))
        (br $cell))))

  ;; One row of subject chroma, blocks c0..c1, from the subject's half-resolution Cb, Cr and alpha planes
  ;; (row stride cs); the box in half-resolution units. Grid rows at the blocks' vertical centre.
  (func $subjectChromaRow (param $fgU i32) (param $fgV i32) (param $fgA i32) (param $cs i32) (param $box i32) (param $rowX i32) (param $rowY i32)
    (param $c0 i32) (param $c1 i32) (param $outU i32) (param $outV i32)
    (local $p i32) (local $fa f32) (local $fs f32)
    (local $c i32) (local $g i32) (local $k i32)
    (local $X i32) (local $dX i32) (local $Y i32) (local $dY i32) (local $X2 i32) (local $dX2 i32) (local $Y2 i32) (local $dY2 i32)
    (local $xs v128) (local $xs2 v128) (local $ys v128) (local $ys2 v128) (local $m v128) (local $m2 v128) (local $a v128) (local $a1 i32)
    (local.set $c (local.get $c0))
    (block $rowDone
      (loop $group
        (br_if $rowDone (i32.ge_s (local.get $c) (local.get $c1)))
        (local.set $g (i32.shr_s (local.get $c) (i32.const 2)))
        (local.set $k (i32.and (local.get $c) (i32.const 3)))
        (local.set $p (i32.add (local.get $rowX) (i32.shl (local.get $g) (i32.const 2))))
        (local.set $fa (f32.load (local.get $p)))
        (local.set $fs (f32.mul (f32.sub (f32.load offset=4 (local.get $p)) (local.get $fa)) (f32.const 0.125)))
        (local.set $X (i32.trunc_sat_f32_s (f32.nearest (f32.mul (f32.add (local.get $fa) (f32.sub (f32.mul (local.get $fs) (f32.const 0.5)) (f32.const 0.5))) (f32.const 2048)))))
        (local.set $dX (i32.trunc_sat_f32_s (f32.nearest (f32.mul (local.get $fs) (f32.const 4096)))))
        (local.set $p (i32.add (local.get $rowY) (i32.shl (local.get $g) (i32.const 2))))
        (local.set $fa (f32.load (local.get $p)))
        (local.set $fs (f32.mul (f32.sub (f32.load offset=4 (local.get $p)) (local.get $fa)) (f32.const 0.125)))
        (local.set $Y (i32.trunc_sat_f32_s (f32.nearest (f32.mul (f32.add (local.get $fa) (f32.sub (f32.mul (local.get $fs) (f32.const 0.5)) (f32.const 0.5))) (f32.const 2048)))))
        (local.set $dY (i32.trunc_sat_f32_s (f32.nearest (f32.mul (local.get $fs) (f32.const 4096)))))
        (if (i32.and (i32.eqz (local.get $k)) (i32.le_s (i32.add (local.get $c) (i32.const 8)) (local.get $c1)))
          (then
            (local.set $p (i32.add (local.get $rowX) (i32.shl (i32.add (local.get $g) (i32.const 1)) (i32.const 2))))
        (local.set $fa (f32.load (local.get $p)))
        (local.set $fs (f32.mul (f32.sub (f32.load offset=4 (local.get $p)) (local.get $fa)) (f32.const 0.125)))
        (local.set $X2 (i32.trunc_sat_f32_s (f32.nearest (f32.mul (f32.add (local.get $fa) (f32.sub (f32.mul (local.get $fs) (f32.const 0.5)) (f32.const 0.5))) (f32.const 2048)))))
        (local.set $dX2 (i32.trunc_sat_f32_s (f32.nearest (f32.mul (local.get $fs) (f32.const 4096)))))
            (local.set $p (i32.add (local.get $rowY) (i32.shl (i32.add (local.get $g) (i32.const 1)) (i32.const 2))))
        (local.set $fa (f32.load (local.get $p)))
        (local.set $fs (f32.mul (f32.sub (f32.load offset=4 (local.get $p)) (local.get $fa)) (f32.const 0.125)))
        (local.set $Y2 (i32.trunc_sat_f32_s (f32.nearest (f32.mul (f32.add (local.get $fa) (f32.sub (f32.mul (local.get $fs) (f32.const 0.5)) (f32.const 0.5))) (f32.const 2048)))))
        (local.set $dY2 (i32.trunc_sat_f32_s (f32.nearest (f32.mul (local.get $fs) (f32.const 4096)))))
            (local.set $xs (i32x4.add (i32x4.splat (local.get $X)) (i32x4.mul (i32x4.splat (local.get $dX)) (v128.const i32x4 0 1 2 3))))
            (local.set $xs2 (i32x4.add (i32x4.splat (local.get $X2)) (i32x4.mul (i32x4.splat (local.get $dX2)) (v128.const i32x4 0 1 2 3))))
            (local.set $ys (i32x4.add (i32x4.splat (local.get $Y)) (i32x4.mul (i32x4.splat (local.get $dY)) (v128.const i32x4 0 1 2 3))))
            (local.set $ys2 (i32x4.add (i32x4.splat (local.get $Y2)) (i32x4.mul (i32x4.splat (local.get $dY2)) (v128.const i32x4 0 1 2 3))))
            (local.set $m (v128.and
              (v128.and (i32x4.ge_s (local.get $xs) (v128.load32_splat (local.get $box))) (i32x4.lt_s (local.get $xs) (v128.load32_splat offset=8 (local.get $box))))
              (v128.and (i32x4.ge_s (local.get $ys) (v128.load32_splat offset=4 (local.get $box))) (i32x4.lt_s (local.get $ys) (v128.load32_splat offset=12 (local.get $box))))))
            (local.set $m2 (v128.and
              (v128.and (i32x4.ge_s (local.get $xs2) (v128.load32_splat (local.get $box))) (i32x4.lt_s (local.get $xs2) (v128.load32_splat offset=8 (local.get $box))))
              (v128.and (i32x4.ge_s (local.get $ys2) (v128.load32_splat offset=4 (local.get $box))) (i32x4.lt_s (local.get $ys2) (v128.load32_splat offset=12 (local.get $box))))))
            (if (v128.any_true (v128.or (local.get $m) (local.get $m2)))
              (then
                (local.set $xs (v128.and (local.get $xs) (local.get $m)))
                (local.set $ys (v128.and (local.get $ys) (local.get $m)))
                (local.set $xs2 (v128.and (local.get $xs2) (local.get $m2)))
                (local.set $ys2 (v128.and (local.get $ys2) (local.get $m2)))
                (local.set $a (v128.and
                  (call $sample8 (local.get $fgA) (local.get $cs) (local.get $xs) (local.get $xs2) (local.get $ys) (local.get $ys2))
                  (i16x8.narrow_i32x4_s (local.get $m) (local.get $m2))))
                (if (v128.any_true (local.get $a))
                  (then
                    (call $blend8 (i32.add (local.get $outU) (local.get $c))
                      (call $sample8 (local.get $fgU) (local.get $cs) (local.get $xs) (local.get $xs2) (local.get $ys) (local.get $ys2))
                      (local.get $a))
                    (call $blend8 (i32.add (local.get $outV) (local.get $c))
                      (call $sample8 (local.get $fgV) (local.get $cs) (local.get $xs) (local.get $xs2) (local.get $ys) (local.get $ys2))
                      (local.get $a))))))
            (local.set $c (i32.add (local.get $c) (i32.const 8)))
            (br $group)))
        ;; A single block: the k-th of its cell.
        (local.set $X (i32.add (local.get $X) (i32.mul (local.get $dX) (local.get $k))))
        (local.set $Y (i32.add (local.get $Y) (i32.mul (local.get $dY) (local.get $k))))
        (if (i32.and
              (i32.and (i32.ge_s (local.get $X) (i32.load (local.get $box))) (i32.lt_s (local.get $X) (i32.load offset=8 (local.get $box))))
              (i32.and (i32.ge_s (local.get $Y) (i32.load offset=4 (local.get $box))) (i32.lt_s (local.get $Y) (i32.load offset=12 (local.get $box)))))
          (then
            (local.set $a1 (call $sample1 (local.get $fgA) (local.get $cs) (local.get $X) (local.get $Y)))
            (call $blend1 (i32.add (local.get $outU) (local.get $c)) (call $sample1 (local.get $fgU) (local.get $cs) (local.get $X) (local.get $Y)) (local.get $a1))
            (call $blend1 (i32.add (local.get $outV) (local.get $c)) (call $sample1 (local.get $fgV) (local.get $cs) (local.get $X) (local.get $Y)) (local.get $a1))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $group))))

  ;; The subject over rows y0..y1 and columns x0..x1 of the W x H I420 frame in out. gridX/gridY: the subject
  ;; layer's source coordinates (gw columns per row). planes: 5 words, the addresses of its luma, alpha, Cb, Cr
  ;; and half-resolution alpha planes. boxes: 8 words, the luma box then the half-resolution box.
  (func (export "subject")
    (param $W i32) (param $H i32) (param $gw i32) (param $gridX i32) (param $gridY i32) (param $rowX i32) (param $rowY i32)
    (param $planes i32) (param $sw i32) (param $cs i32) (param $y0 i32) (param $y1 i32) (param $x0 i32) (param $x1 i32) (param $boxes i32) (param $out i32)
    (local $y i32) (local $r0 i32) (local $cw i32) (local $u i32) (local $v i32) (local $f f32)
    (local.set $cw (i32.shr_u (local.get $W) (i32.const 1)))
    (local.set $u (i32.add (local.get $out) (i32.mul (local.get $W) (local.get $H))))
    (local.set $v (i32.add (local.get $u) (i32.mul (local.get $cw) (i32.shr_u (local.get $H) (i32.const 1)))))
    ;; From an even row, so each chroma row sits with the first luma row of its pair.
    (local.set $y (i32.and (local.get $y0) (i32.const -2)))
    (block $done
      (loop $row
        (br_if $done (i32.ge_s (local.get $y) (local.get $y1)))
        (local.set $r0 (i32.mul (i32.shr_s (local.get $y) (i32.const 3)) (local.get $gw)))
        (local.set $f (f32.mul (f32.convert_i32_s (i32.and (local.get $y) (i32.const 7))) (f32.const 0.125)))
        (call $gridRow (local.get $gridX) (local.get $r0) (local.get $gw) (local.get $f) (local.get $rowX))
        (call $gridRow (local.get $gridY) (local.get $r0) (local.get $gw) (local.get $f) (local.get $rowY))
        (call $subjectLumaRow (i32.load (local.get $planes)) (i32.load offset=4 (local.get $planes)) (local.get $sw) (local.get $boxes)
          (local.get $rowX) (local.get $rowY) (local.get $x0) (local.get $x1) (i32.add (local.get $out) (i32.mul (local.get $y) (local.get $W))))
        (if (i32.eqz (i32.and (local.get $y) (i32.const 1)))
          (then
            (local.set $f (f32.add (local.get $f) (f32.const 0.0625)))
            (call $gridRow (local.get $gridX) (local.get $r0) (local.get $gw) (local.get $f) (local.get $rowX))
            (call $gridRow (local.get $gridY) (local.get $r0) (local.get $gw) (local.get $f) (local.get $rowY))
            (call $subjectChromaRow (i32.load offset=8 (local.get $planes)) (i32.load offset=12 (local.get $planes)) (i32.load offset=16 (local.get $planes))
              (local.get $cs) (i32.add (local.get $boxes) (i32.const 16)) (local.get $rowX) (local.get $rowY)
              (i32.shr_s (local.get $x0) (i32.const 1)) (i32.shr_s (i32.add (local.get $x1) (i32.const 1)) (i32.const 1))
              (i32.add (local.get $u) (i32.mul (i32.shr_u (local.get $y) (i32.const 1)) (local.get $cw)))
              (i32.add (local.get $v) (i32.mul (i32.shr_u (local.get $y) (i32.const 1)) (local.get $cw))))))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $row))))
)
