;; The renderer's hottest loops in WebAssembly: the layers of one I420 frame (the background, then the subject
;; over it), each sampled through the frame's coarse source-coordinate grids (8 px cells). Luma is bilinear at
;; every pixel from a byte plane; chroma is bilinear once per 2x2 block from half-resolution planes (the
;; background's: Cb and Cr byte planes, eight samples at a time with SIMD; the subject's: Cb | Cr << 16 per
;; word, both lanes blended at once). Integer fixed point: coordinates in 1/4096 px, 7-bit
;; weights; the background grid is clamped to the canvas by the caller, so no tap leaves the planes. Built into
;; layers.wasm by `npm run build:wasm` (wabt); the JavaScript twin is the RGB path in sample-layers.ts.
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

;; One row of luma: W pixels into out, from the luma plane lum (row stride pw). Full 8-pixel cells go
  ;; through $bilinear8 (SIMD); a last partial cell pixel by pixel, with the same arithmetic.
  (func $lumaRow (param $lum i32) (param $pw i32) (param $rowX i32) (param $rowY i32) (param $W i32) (param $out i32)
    (local $x i32) (local $end i32) (local $g i32)
    (local $X i32) (local $Y i32) (local $dX i32) (local $dY i32)
    (local $x0 f32) (local $y0 f32)
    (local $ax i32) (local $ay i32) (local $bx i32) (local $i i32) (local $top i32) (local $bot i32)
    (block $rowDone
      (loop $cell
        (br_if $rowDone (i32.ge_s (local.get $x) (local.get $W)))
        ;; The cell's first pixel and the step per pixel, from grid columns g and g+1.
        (local.set $g (i32.add (local.get $rowX) (i32.shl (i32.shr_s (local.get $x) (i32.const 3)) (i32.const 2))))
        (local.set $x0 (f32.load (local.get $g)))
        (local.set $X (i32.trunc_sat_f32_s (f32.nearest (f32.mul (local.get $x0) (f32.const 4096)))))
        (local.set $dX (i32.trunc_sat_f32_s (f32.nearest (f32.mul (f32.sub (f32.load offset=4 (local.get $g)) (local.get $x0)) (f32.const 512)))))
        (local.set $g (i32.add (local.get $rowY) (i32.shl (i32.shr_s (local.get $x) (i32.const 3)) (i32.const 2))))
        (local.set $y0 (f32.load (local.get $g)))
        (local.set $Y (i32.trunc_sat_f32_s (f32.nearest (f32.mul (local.get $y0) (f32.const 4096)))))
        (local.set $dY (i32.trunc_sat_f32_s (f32.nearest (f32.mul (f32.sub (f32.load offset=4 (local.get $g)) (local.get $y0)) (f32.const 512)))))
        (local.set $end (i32.add (local.get $x) (i32.const 8)))
        (if (i32.le_s (local.get $end) (local.get $W))
          (then
            (call $bilinear8 (local.get $lum) (local.get $pw) (local.get $X) (local.get $Y) (local.get $dX) (local.get $dY)
              (i32.add (local.get $X) (i32.shl (local.get $dX) (i32.const 2))) (i32.add (local.get $Y) (i32.shl (local.get $dY) (i32.const 2)))
              (local.get $dX) (local.get $dY) (i32.add (local.get $out) (local.get $x)))
            (local.set $x (local.get $end))
            (br $cell)))
        (loop $pixel
          (local.set $ax (i32.and (i32.shr_s (local.get $X) (i32.const 5)) (i32.const 127)))
          (local.set $ay (i32.and (i32.shr_s (local.get $Y) (i32.const 5)) (i32.const 127)))
          (local.set $bx (i32.sub (i32.const 128) (local.get $ax)))
          (local.set $i
            (i32.add (local.get $lum)
              (i32.add (i32.mul (i32.shr_s (local.get $Y) (i32.const 12)) (local.get $pw)) (i32.shr_s (local.get $X) (i32.const 12)))))
          (local.set $top (i32.shr_u
            (i32.add (i32.mul (i32.load8_u (local.get $i)) (local.get $bx)) (i32.mul (i32.load8_u offset=1 (local.get $i)) (local.get $ax)))
            (i32.const 7)))
          (local.set $i (i32.add (local.get $i) (local.get $pw)))
          (local.set $bot (i32.shr_u
            (i32.add (i32.mul (i32.load8_u (local.get $i)) (local.get $bx)) (i32.mul (i32.load8_u offset=1 (local.get $i)) (local.get $ax)))
            (i32.const 7)))
          (i32.store8 (i32.add (local.get $out) (local.get $x))
            (i32.shr_u
              (i32.add (i32.add (i32.mul (local.get $top) (i32.sub (i32.const 128) (local.get $ay))) (i32.mul (local.get $bot) (local.get $ay)))
                (i32.const 64))
              (i32.const 7)))
          (local.set $X (i32.add (local.get $X) (local.get $dX)))
          (local.set $Y (i32.add (local.get $Y) (local.get $dY)))
          (local.set $x (i32.add (local.get $x) (i32.const 1)))
          (br_if $pixel (i32.lt_s (local.get $x) (local.get $W))))
        (br $cell))))

  ;; Eight bilinear samples of a byte plane at once into out: lanes 0-3 at (X + k*dX, Y + k*dY), lanes 4-7 at
  ;; (X2 + k*dX2, Y2 + k*dY2) (two grid cells of chroma, or one cell of luma), clamped at 0. Each lane gathers its
  ;; two pairs of taps (2 bytes above, 2 below) with 16-bit lane loads, then blends in 16-bit lanes (every
  ;; product fits: 255 x 128).
  (func $bilinear8 (param $lum i32) (param $pw i32) (param $X i32) (param $Y i32) (param $dX i32) (param $dY i32)
    (param $X2 i32) (param $Y2 i32) (param $dX2 i32) (param $dY2 i32) (param $out i32)
    (local $xs v128) (local $ys v128) (local $xs2 v128) (local $ys2 v128) (local $idx v128) (local $idx2 v128)
    (local $ax v128) (local $ay v128) (local $t v128) (local $b v128) (local $top v128) (local $bot v128) (local $i i32)
    (local.set $xs (i32x4.max_s (i32x4.splat (i32.const 0))
      (i32x4.add (i32x4.splat (local.get $X)) (i32x4.mul (i32x4.splat (local.get $dX)) (v128.const i32x4 0 1 2 3)))))
    (local.set $xs2 (i32x4.max_s (i32x4.splat (i32.const 0))
      (i32x4.add (i32x4.splat (local.get $X2)) (i32x4.mul (i32x4.splat (local.get $dX2)) (v128.const i32x4 0 1 2 3)))))
    (local.set $ys (i32x4.max_s (i32x4.splat (i32.const 0))
      (i32x4.add (i32x4.splat (local.get $Y)) (i32x4.mul (i32x4.splat (local.get $dY)) (v128.const i32x4 0 1 2 3)))))
    (local.set $ys2 (i32x4.max_s (i32x4.splat (i32.const 0))
      (i32x4.add (i32x4.splat (local.get $Y2)) (i32x4.mul (i32x4.splat (local.get $dY2)) (v128.const i32x4 0 1 2 3)))))
    (local.set $idx (i32x4.add (i32x4.mul (i32x4.shr_s (local.get $ys) (i32.const 12)) (i32x4.splat (local.get $pw))) (i32x4.shr_s (local.get $xs) (i32.const 12))))
    (local.set $idx2 (i32x4.add (i32x4.mul (i32x4.shr_s (local.get $ys2) (i32.const 12)) (i32x4.splat (local.get $pw))) (i32x4.shr_s (local.get $xs2) (i32.const 12))))
    (local.set $ax (i16x8.narrow_i32x4_s
      (v128.and (i32x4.shr_s (local.get $xs) (i32.const 5)) (v128.const i32x4 127 127 127 127))
      (v128.and (i32x4.shr_s (local.get $xs2) (i32.const 5)) (v128.const i32x4 127 127 127 127))))
    (local.set $ay (i16x8.narrow_i32x4_s
      (v128.and (i32x4.shr_s (local.get $ys) (i32.const 5)) (v128.const i32x4 127 127 127 127))
      (v128.and (i32x4.shr_s (local.get $ys2) (i32.const 5)) (v128.const i32x4 127 127 127 127))))
    (local.set $i (i32.add (local.get $lum) (i32x4.extract_lane 0 (local.get $idx))))
    (local.set $t (v128.load16_lane 0 (local.get $i) (local.get $t)))
    (local.set $b (v128.load16_lane 0 (i32.add (local.get $i) (local.get $pw)) (local.get $b)))
    (local.set $i (i32.add (local.get $lum) (i32x4.extract_lane 1 (local.get $idx))))
    (local.set $t (v128.load16_lane 1 (local.get $i) (local.get $t)))
    (local.set $b (v128.load16_lane 1 (i32.add (local.get $i) (local.get $pw)) (local.get $b)))
    (local.set $i (i32.add (local.get $lum) (i32x4.extract_lane 2 (local.get $idx))))
    (local.set $t (v128.load16_lane 2 (local.get $i) (local.get $t)))
    (local.set $b (v128.load16_lane 2 (i32.add (local.get $i) (local.get $pw)) (local.get $b)))
    (local.set $i (i32.add (local.get $lum) (i32x4.extract_lane 3 (local.get $idx))))
    (local.set $t (v128.load16_lane 3 (local.get $i) (local.get $t)))
    (local.set $b (v128.load16_lane 3 (i32.add (local.get $i) (local.get $pw)) (local.get $b)))
    (local.set $i (i32.add (local.get $lum) (i32x4.extract_lane 0 (local.get $idx2))))
    (local.set $t (v128.load16_lane 4 (local.get $i) (local.get $t)))
    (local.set $b (v128.load16_lane 4 (i32.add (local.get $i) (local.get $pw)) (local.get $b)))
    (local.set $i (i32.add (local.get $lum) (i32x4.extract_lane 1 (local.get $idx2))))
    (local.set $t (v128.load16_lane 5 (local.get $i) (local.get $t)))
    (local.set $b (v128.load16_lane 5 (i32.add (local.get $i) (local.get $pw)) (local.get $b)))
    (local.set $i (i32.add (local.get $lum) (i32x4.extract_lane 2 (local.get $idx2))))
    (local.set $t (v128.load16_lane 6 (local.get $i) (local.get $t)))
    (local.set $b (v128.load16_lane 6 (i32.add (local.get $i) (local.get $pw)) (local.get $b)))
    (local.set $i (i32.add (local.get $lum) (i32x4.extract_lane 3 (local.get $idx2))))
    (local.set $t (v128.load16_lane 7 (local.get $i) (local.get $t)))
    (local.set $b (v128.load16_lane 7 (i32.add (local.get $i) (local.get $pw)) (local.get $b)))
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
    (v128.store64_lane 0 (local.get $out)
      (i8x16.narrow_i16x8_u
        (local.tee $top (i16x8.shr_u
          (i16x8.add
            (i16x8.add (i16x8.mul (local.get $top) (i16x8.sub (i16x8.splat (i32.const 128)) (local.get $ay))) (i16x8.mul (local.get $bot) (local.get $ay)))
            (i16x8.splat (i32.const 64)))
          (i32.const 7)))
        (local.get $top))))

  ;; One row of chroma: cw blocks, each sampled at its 2x2 block's centre, from the half-resolution Cb and Cr
  ;; planes (bytes, row stride cs) into outU and outV; eight blocks (two grid cells) at a time through
  ;; $bilinear8, a last partial group block by block with the same arithmetic. Grid rows at the blocks' centre.
  (func $chromaRow (param $planeU i32) (param $planeV i32) (param $cs i32) (param $rowX i32) (param $rowY i32) (param $cw i32)
    (param $outU i32) (param $outV i32)
    (local $c i32) (local $k i32) (local $g i32)
    (local $X i32) (local $Y i32) (local $dX i32) (local $dY i32) (local $X2 i32) (local $Y2 i32) (local $dX2 i32) (local $dY2 i32)
    (local $x0 f32) (local $s f32)
    (local $ax i32) (local $ay i32) (local $bx i32) (local $i i32) (local $top i32) (local $bot i32) (local $plane i32) (local $out i32)
    (block $rowDone
      (loop $group
        (br_if $rowDone (i32.ge_s (local.get $c) (local.get $cw)))
        ;; Start and step of the cell holding block c (four blocks per cell); block centre 0.5 px into the
        ;; cell; chroma units are (p - 0.5) / 2.
        (local.set $g (i32.shl (i32.shr_s (local.get $c) (i32.const 2)) (i32.const 2)))
        (local.set $x0 (f32.load (i32.add (local.get $rowX) (local.get $g))))
        (local.set $s (f32.mul (f32.sub (f32.load offset=4 (i32.add (local.get $rowX) (local.get $g))) (local.get $x0)) (f32.const 0.125)))
        (local.set $X (i32.trunc_sat_f32_s (f32.nearest (f32.mul (f32.add (local.get $x0) (f32.sub (f32.mul (local.get $s) (f32.const 0.5)) (f32.const 0.5))) (f32.const 2048)))))
        (local.set $dX (i32.trunc_sat_f32_s (f32.nearest (f32.mul (local.get $s) (f32.const 4096)))))
        (local.set $x0 (f32.load (i32.add (local.get $rowY) (local.get $g))))
        (local.set $s (f32.mul (f32.sub (f32.load offset=4 (i32.add (local.get $rowY) (local.get $g))) (local.get $x0)) (f32.const 0.125)))
        (local.set $Y (i32.trunc_sat_f32_s (f32.nearest (f32.mul (f32.add (local.get $x0) (f32.sub (f32.mul (local.get $s) (f32.const 0.5)) (f32.const 0.5))) (f32.const 2048)))))
        (local.set $dY (i32.trunc_sat_f32_s (f32.nearest (f32.mul (local.get $s) (f32.const 4096)))))
        (if (i32.le_s (i32.add (local.get $c) (i32.const 8)) (local.get $cw))
          (then
            ;; ... and of the next cell, for lanes 4-7.
            (local.set $g (i32.add (local.get $g) (i32.const 4)))
            (local.set $x0 (f32.load (i32.add (local.get $rowX) (local.get $g))))
            (local.set $s (f32.mul (f32.sub (f32.load offset=4 (i32.add (local.get $rowX) (local.get $g))) (local.get $x0)) (f32.const 0.125)))
            (local.set $X2 (i32.trunc_sat_f32_s (f32.nearest (f32.mul (f32.add (local.get $x0) (f32.sub (f32.mul (local.get $s) (f32.const 0.5)) (f32.const 0.5))) (f32.const 2048)))))
            (local.set $dX2 (i32.trunc_sat_f32_s (f32.nearest (f32.mul (local.get $s) (f32.const 4096)))))
            (local.set $x0 (f32.load (i32.add (local.get $rowY) (local.get $g))))
            (local.set $s (f32.mul (f32.sub (f32.load offset=4 (i32.add (local.get $rowY) (local.get $g))) (local.get $x0)) (f32.const 0.125)))
            (local.set $Y2 (i32.trunc_sat_f32_s (f32.nearest (f32.mul (f32.add (local.get $x0) (f32.sub (f32.mul (local.get $s) (f32.const 0.5)) (f32.const 0.5))) (f32.const 2048)))))
            (local.set $dY2 (i32.trunc_sat_f32_s (f32.nearest (f32.mul (local.get $s) (f32.const 4096)))))
            (call $bilinear8 (local.get $planeU) (local.get $cs) (local.get $X) (local.get $Y) (local.get $dX) (local.get $dY)
              (local.get $X2) (local.get $Y2) (local.get $dX2) (local.get $dY2) (i32.add (local.get $outU) (local.get $c)))
            (call $bilinear8 (local.get $planeV) (local.get $cs) (local.get $X) (local.get $Y) (local.get $dX) (local.get $dY)
              (local.get $X2) (local.get $Y2) (local.get $dX2) (local.get $dY2) (i32.add (local.get $outV) (local.get $c)))
            (local.set $c (i32.add (local.get $c) (i32.const 8)))
            (br $group)))
        ;; Fewer than eight blocks left: one at a time (at most four, all in this cell), Cb then Cr.
        (local.set $k (i32.const 0))
        (loop $block
          (local.set $ax (select (local.get $X) (i32.const 0) (i32.gt_s (local.get $X) (i32.const 0))))
          (local.set $ay (select (local.get $Y) (i32.const 0) (i32.gt_s (local.get $Y) (i32.const 0))))
          (local.set $i (i32.add (i32.mul (i32.shr_s (local.get $ay) (i32.const 12)) (local.get $cs)) (i32.shr_s (local.get $ax) (i32.const 12))))
          (local.set $ax (i32.and (i32.shr_s (local.get $ax) (i32.const 5)) (i32.const 127)))
          (local.set $ay (i32.and (i32.shr_s (local.get $ay) (i32.const 5)) (i32.const 127)))
          (local.set $bx (i32.sub (i32.const 128) (local.get $ax)))
          (local.set $plane (local.get $planeU))
          (local.set $out (local.get $outU))
          (loop $channel
            (local.set $top (i32.shr_u (i32.add
              (i32.mul (i32.load8_u (i32.add (local.get $plane) (local.get $i))) (local.get $bx))
              (i32.mul (i32.load8_u offset=1 (i32.add (local.get $plane) (local.get $i))) (local.get $ax))) (i32.const 7)))
            (local.set $bot (i32.shr_u (i32.add
              (i32.mul (i32.load8_u (i32.add (i32.add (local.get $plane) (local.get $i)) (local.get $cs))) (local.get $bx))
              (i32.mul (i32.load8_u offset=1 (i32.add (i32.add (local.get $plane) (local.get $i)) (local.get $cs))) (local.get $ax))) (i32.const 7)))
            (i32.store8 (i32.add (local.get $out) (local.get $c))
              (i32.shr_u (i32.add (i32.add (i32.mul (local.get $top) (i32.sub (i32.const 128) (local.get $ay))) (i32.mul (local.get $bot) (local.get $ay)))
                (i32.const 64)) (i32.const 7)))
            (if (i32.eq (local.get $plane) (local.get $planeU))
              (then
                (local.set $plane (local.get $planeV))
                (local.set $out (local.get $outV))
                (br $channel))))
          (local.set $X (i32.add (local.get $X) (local.get $dX)))
          (local.set $Y (i32.add (local.get $Y) (local.get $dY)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br_if $block (i32.and (i32.lt_s (local.get $c) (local.get $cw)) (i32.lt_s (local.get $k) (i32.const 4)))))
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

  ;; ---- The subject layer (a cut-out plane with a soft matte), over the background already drawn in out. ----

  ;; One row of subject luma, columns x0..x1: words Y | alpha << 16 (both lanes blended at once); pixels whose
  ;; source falls outside the box (fixed point, luma units) or whose four taps are transparent are skipped.
  (func $subjectLumaRow (param $fg i32) (param $sw i32) (param $box i32) (param $rowX i32) (param $rowY i32)
    (param $x0 i32) (param $x1 i32) (param $out i32)
    (local $x i32) (local $end i32) (local $g i32) (local $skip i32)
    (local $X i32) (local $Y i32) (local $dX i32) (local $dY i32)
    (local $ax i32) (local $ay i32) (local $bx i32) (local $i i32)
    (local $c00 i32) (local $c10 i32) (local $c01 i32) (local $c11 i32) (local $t i32) (local $b i32) (local $v i32) (local $a i32) (local $o i32)
    (local.set $x (local.get $x0))
    (block $rowDone
      (loop $cell
        (br_if $rowDone (i32.ge_s (local.get $x) (local.get $x1)))
        (local.set $g (i32.shl (i32.shr_s (local.get $x) (i32.const 3)) (i32.const 2)))
        (local.set $skip (i32.and (local.get $x) (i32.const 7)))
        (local.set $dX (i32.trunc_sat_f32_s (f32.nearest (f32.mul
          (f32.sub (f32.load offset=4 (i32.add (local.get $rowX) (local.get $g))) (f32.load (i32.add (local.get $rowX) (local.get $g)))) (f32.const 512)))))
        (local.set $dY (i32.trunc_sat_f32_s (f32.nearest (f32.mul
          (f32.sub (f32.load offset=4 (i32.add (local.get $rowY) (local.get $g))) (f32.load (i32.add (local.get $rowY) (local.get $g)))) (f32.const 512)))))
        (local.set $X (i32.add (i32.trunc_sat_f32_s (f32.nearest (f32.mul (f32.load (i32.add (local.get $rowX) (local.get $g))) (f32.const 4096))))
          (i32.mul (local.get $dX) (local.get $skip))))
        (local.set $Y (i32.add (i32.trunc_sat_f32_s (f32.nearest (f32.mul (f32.load (i32.add (local.get $rowY) (local.get $g))) (f32.const 4096))))
          (i32.mul (local.get $dY) (local.get $skip))))
        (local.set $end (i32.sub (i32.add (local.get $x) (i32.const 8)) (local.get $skip)))
        (if (i32.gt_s (local.get $end) (local.get $x1)) (then (local.set $end (local.get $x1))))
        (loop $pixel
          (block $next
            (br_if $next (i32.lt_s (local.get $X) (i32.load (local.get $box))))
            (br_if $next (i32.lt_s (local.get $Y) (i32.load offset=4 (local.get $box))))
            (br_if $next (i32.ge_s (local.get $X) (i32.load offset=8 (local.get $box))))
            (br_if $next (i32.ge_s (local.get $Y) (i32.load offset=12 (local.get $box))))
            (local.set $i (i32.add (local.get $fg) (i32.shl
              (i32.add (i32.mul (i32.shr_s (local.get $Y) (i32.const 12)) (local.get $sw)) (i32.shr_s (local.get $X) (i32.const 12))) (i32.const 2))))
            (local.set $c00 (i32.load (local.get $i)))
            (local.set $c10 (i32.load offset=4 (local.get $i)))
            (local.set $i (i32.add (local.get $i) (i32.shl (local.get $sw) (i32.const 2))))
            (local.set $c01 (i32.load (local.get $i)))
            (local.set $c11 (i32.load offset=4 (local.get $i)))
            (br_if $next (i32.eqz (i32.shr_u (i32.or (i32.or (local.get $c00) (local.get $c10)) (i32.or (local.get $c01) (local.get $c11))) (i32.const 16))))
            (local.set $ax (i32.and (i32.shr_s (local.get $X) (i32.const 5)) (i32.const 127)))
            (local.set $ay (i32.and (i32.shr_s (local.get $Y) (i32.const 5)) (i32.const 127)))
            (local.set $bx (i32.sub (i32.const 128) (local.get $ax)))
            (local.set $t (i32.and (i32.shr_u (i32.add (i32.mul (local.get $c00) (local.get $bx)) (i32.mul (local.get $c10) (local.get $ax))) (i32.const 7)) (i32.const 0xff00ff)))
            (local.set $b (i32.and (i32.shr_u (i32.add (i32.mul (local.get $c01) (local.get $bx)) (i32.mul (local.get $c11) (local.get $ax))) (i32.const 7)) (i32.const 0xff00ff)))
            (local.set $v (i32.and (i32.shr_u
              (i32.add (i32.add (i32.mul (local.get $t) (i32.sub (i32.const 128) (local.get $ay))) (i32.mul (local.get $b) (local.get $ay))) (i32.const 0x400040))
              (i32.const 7)) (i32.const 0xff00ff)))
            (local.set $a (i32.shr_u (local.get $v) (i32.const 16)))
            (br_if $next (i32.eqz (local.get $a)))
            ;; 0..256: a full matte gives the subject's value exactly
            (local.set $a (i32.add (local.get $a) (i32.shr_u (local.get $a) (i32.const 7))))
            (local.set $o (i32.add (local.get $out) (local.get $x)))
            (local.set $t (i32.load8_u (local.get $o)))
            (i32.store8 (local.get $o) (i32.add (local.get $t)
              (i32.shr_s (i32.add (i32.mul (i32.sub (i32.and (local.get $v) (i32.const 0xff)) (local.get $t)) (local.get $a)) (i32.const 128)) (i32.const 8)))))
          (local.set $X (i32.add (local.get $X) (local.get $dX)))
          (local.set $Y (i32.add (local.get $Y) (local.get $dY)))
          (local.set $x (i32.add (local.get $x) (i32.const 1)))
          (br_if $pixel (i32.lt_s (local.get $x) (local.get $end))))
        (br $cell))))

  ;; One row of subject chroma, blocks c0..c1, from the half-resolution chroma (Cb | Cr << 16) and alpha planes
  ;; (row stride cs); the box is in chroma units. Grid rows at the blocks' vertical centre.
  (func $subjectChromaRow (param $fgC i32) (param $fgA i32) (param $cs i32) (param $box i32) (param $rowX i32) (param $rowY i32)
    (param $c0 i32) (param $c1 i32) (param $outU i32) (param $outV i32)
    (local $c i32) (local $end i32) (local $g i32) (local $skip i32)
    (local $X i32) (local $Y i32) (local $dX i32) (local $dY i32) (local $x0 f32) (local $s f32)
    (local $ax i32) (local $ay i32) (local $bx i32) (local $by i32) (local $i i32) (local $j i32) (local $a i32)
    (local $t i32) (local $b i32) (local $v i32) (local $o i32) (local $p i32)
    (local.set $c (local.get $c0))
    (block $rowDone
      (loop $cell
        (br_if $rowDone (i32.ge_s (local.get $c) (local.get $c1)))
        (local.set $g (i32.shl (i32.shr_s (local.get $c) (i32.const 2)) (i32.const 2)))
        (local.set $skip (i32.and (local.get $c) (i32.const 3)))
        (local.set $x0 (f32.load (i32.add (local.get $rowX) (local.get $g))))
        (local.set $s (f32.mul (f32.sub (f32.load offset=4 (i32.add (local.get $rowX) (local.get $g))) (local.get $x0)) (f32.const 0.125)))
        (local.set $dX (i32.trunc_sat_f32_s (f32.nearest (f32.mul (local.get $s) (f32.const 4096)))))
        (local.set $X (i32.add (i32.trunc_sat_f32_s (f32.nearest (f32.mul (f32.add (local.get $x0) (f32.sub (f32.mul (local.get $s) (f32.const 0.5)) (f32.const 0.5))) (f32.const 2048))))
          (i32.mul (local.get $dX) (local.get $skip))))
        (local.set $x0 (f32.load (i32.add (local.get $rowY) (local.get $g))))
        (local.set $s (f32.mul (f32.sub (f32.load offset=4 (i32.add (local.get $rowY) (local.get $g))) (local.get $x0)) (f32.const 0.125)))
        (local.set $dY (i32.trunc_sat_f32_s (f32.nearest (f32.mul (local.get $s) (f32.const 4096)))))
        (local.set $Y (i32.add (i32.trunc_sat_f32_s (f32.nearest (f32.mul (f32.add (local.get $x0) (f32.sub (f32.mul (local.get $s) (f32.const 0.5)) (f32.const 0.5))) (f32.const 2048))))
          (i32.mul (local.get $dY) (local.get $skip))))
        (local.set $end (i32.sub (i32.add (local.get $c) (i32.const 4)) (local.get $skip)))
        (if (i32.gt_s (local.get $end) (local.get $c1)) (then (local.set $end (local.get $c1))))
        (loop $block
          (block $next
            (br_if $next (i32.lt_s (local.get $X) (i32.load (local.get $box))))
            (br_if $next (i32.lt_s (local.get $Y) (i32.load offset=4 (local.get $box))))
            (br_if $next (i32.ge_s (local.get $X) (i32.load offset=8 (local.get $box))))
            (br_if $next (i32.ge_s (local.get $Y) (i32.load offset=12 (local.get $box))))
            (local.set $j (i32.add (i32.mul (i32.shr_s (local.get $Y) (i32.const 12)) (local.get $cs)) (i32.shr_s (local.get $X) (i32.const 12))))
            (local.set $ax (i32.and (i32.shr_s (local.get $X) (i32.const 5)) (i32.const 127)))
            (local.set $ay (i32.and (i32.shr_s (local.get $Y) (i32.const 5)) (i32.const 127)))
            (local.set $bx (i32.sub (i32.const 128) (local.get $ax)))
            (local.set $by (i32.sub (i32.const 128) (local.get $ay)))
            (local.set $p (i32.add (local.get $fgA) (local.get $j)))
            (local.set $a (i32.shr_u (i32.add
              (i32.add
                (i32.mul (i32.add (i32.mul (i32.load8_u (local.get $p)) (local.get $bx)) (i32.mul (i32.load8_u offset=1 (local.get $p)) (local.get $ax))) (local.get $by))
                (i32.mul (i32.add (i32.mul (i32.load8_u (i32.add (local.get $p) (local.get $cs))) (local.get $bx))
                  (i32.mul (i32.load8_u offset=1 (i32.add (local.get $p) (local.get $cs))) (local.get $ax))) (local.get $ay)))
              (i32.const 8192)) (i32.const 14)))
            (br_if $next (i32.eqz (local.get $a)))
            (local.set $a (i32.add (local.get $a) (i32.shr_u (local.get $a) (i32.const 7))))
            (local.set $i (i32.add (local.get $fgC) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $t (i32.and (i32.shr_u (i32.add (i32.mul (i32.load (local.get $i)) (local.get $bx)) (i32.mul (i32.load offset=4 (local.get $i)) (local.get $ax))) (i32.const 7)) (i32.const 0xff00ff)))
            (local.set $i (i32.add (local.get $i) (i32.shl (local.get $cs) (i32.const 2))))
            (local.set $b (i32.and (i32.shr_u (i32.add (i32.mul (i32.load (local.get $i)) (local.get $bx)) (i32.mul (i32.load offset=4 (local.get $i)) (local.get $ax))) (i32.const 7)) (i32.const 0xff00ff)))
            (local.set $v (i32.shr_u (i32.add (i32.add (i32.mul (local.get $t) (local.get $by)) (i32.mul (local.get $b) (local.get $ay))) (i32.const 0x400040)) (i32.const 7)))
            (local.set $o (i32.add (local.get $outU) (local.get $c)))
            (local.set $t (i32.load8_u (local.get $o)))
            (i32.store8 (local.get $o) (i32.add (local.get $t)
              (i32.shr_s (i32.add (i32.mul (i32.sub (i32.and (local.get $v) (i32.const 0xff)) (local.get $t)) (local.get $a)) (i32.const 128)) (i32.const 8))))
            (local.set $o (i32.add (local.get $outV) (local.get $c)))
            (local.set $t (i32.load8_u (local.get $o)))
            (i32.store8 (local.get $o) (i32.add (local.get $t)
              (i32.shr_s (i32.add (i32.mul (i32.sub (i32.and (i32.shr_u (local.get $v) (i32.const 16)) (i32.const 0xff)) (local.get $t)) (local.get $a)) (i32.const 128)) (i32.const 8)))))
          (local.set $X (i32.add (local.get $X) (local.get $dX)))
          (local.set $Y (i32.add (local.get $Y) (local.get $dY)))
          (local.set $c (i32.add (local.get $c) (i32.const 1)))
          (br_if $block (i32.lt_s (local.get $c) (local.get $end))))
        (br $cell))))

  ;; The subject over rows y0..y1 and columns x0..x1 of the W x H I420 frame in out. gridX/gridY: the subject
  ;; layer's source coordinates (gw columns per row). boxes: 8 words, the luma box then the chroma box.
  (func (export "subject")
    (param $W i32) (param $H i32) (param $gw i32) (param $gridX i32) (param $gridY i32) (param $rowX i32) (param $rowY i32)
    (param $fg i32) (param $sw i32) (param $fgC i32) (param $fgA i32) (param $cs i32)
    (param $y0 i32) (param $y1 i32) (param $x0 i32) (param $x1 i32) (param $boxes i32) (param $out i32)
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
        (call $subjectLumaRow (local.get $fg) (local.get $sw) (local.get $boxes) (local.get $rowX) (local.get $rowY)
          (local.get $x0) (local.get $x1) (i32.add (local.get $out) (i32.mul (local.get $y) (local.get $W))))
        (if (i32.eqz (i32.and (local.get $y) (i32.const 1)))
          (then
            (local.set $f (f32.add (local.get $f) (f32.const 0.0625)))
            (call $gridRow (local.get $gridX) (local.get $r0) (local.get $gw) (local.get $f) (local.get $rowX))
            (call $gridRow (local.get $gridY) (local.get $r0) (local.get $gw) (local.get $f) (local.get $rowY))
            (call $subjectChromaRow (local.get $fgC) (local.get $fgA) (local.get $cs) (i32.add (local.get $boxes) (i32.const 16))
              (local.get $rowX) (local.get $rowY)
              (i32.shr_s (local.get $x0) (i32.const 1)) (i32.shr_s (i32.add (local.get $x1) (i32.const 1)) (i32.const 1))
              (i32.add (local.get $u) (i32.mul (i32.shr_u (local.get $y) (i32.const 1)) (local.get $cw)))
              (i32.add (local.get $v) (i32.mul (i32.shr_u (local.get $y) (i32.const 1)) (local.get $cw))))))
        (local.set $y (i32.add (local.get $y) (i32.const 1)))
        (br $row))))
)
