;; The innermost loops of scoring, in WebAssembly: compiled by
;; scripts/build-kernel.js into posting-kernel-wasm.ts, run by
;; posting-kernel.ts. Why not JavaScript? On the SBIR workload a need reads
;; about 850,000 postings, and V8 runs the same loop 2-3x slower than this
;; (typed-array bounds and backing-store checks on every access; measured in
;; scripts/bench.js). The arithmetic is the JavaScript loops' to the bit:
;; f32 weights widened to f64, then an f64 multiply and add, in the same order
;; (WebAssembly never fuses or reorders floating-point operations).
;;
;; Everything lives in one shared memory, imported: the postings of the index
;; (read by every thread) and each thread's own sums.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; sums[docs[p]] += q * weights[p] for postings p in [start, end).
  ;; sums: f64 array; docs: i32 array; weights: f32 array (byte addresses).
  (func (export "addPostings")
    (param $sums i32) (param $docs i32) (param $weights i32) (param $start i32) (param $end i32) (param $q f64)
    (local $doc i32) (local $docEnd i32) (local $weight i32) (local $at i32)
    (local.set $doc (i32.add (local.get $docs) (i32.shl (local.get $start) (i32.const 2))))
    (local.set $docEnd (i32.add (local.get $docs) (i32.shl (local.get $end) (i32.const 2))))
    (local.set $weight (i32.add (local.get $weights) (i32.shl (local.get $start) (i32.const 2))))
    (block $done
      (br_if $done (i32.ge_u (local.get $doc) (local.get $docEnd)))
      (loop $next
        (local.set $at (i32.add (local.get $sums) (i32.shl (i32.load (local.get $doc)) (i32.const 3))))
        (f64.store (local.get $at)
          (f64.add (f64.load (local.get $at))
                   (f64.mul (local.get $q) (f64.promote_f32 (f32.load (local.get $weight))))))
        (local.set $doc (i32.add (local.get $doc) (i32.const 4)))
        (local.set $weight (i32.add (local.get $weight) (i32.const 4)))
        (br_if $next (i32.lt_u (local.get $doc) (local.get $docEnd))))))

  ;; sums[d] = 0 for d in [0, count): a memset, where TypedArray fill on
  ;; shared memory stores one element at a time (3-4x slower, measured).
  (func (export "clearSums") (param $sums i32) (param $count i32)
    (memory.fill (local.get $sums) (i32.const 0) (i32.shl (local.get $count) (i32.const 3))))

  ;; sums[d] *= scale for d in [0, count): two at a time (f64x2.mul rounds each lane as f64.mul does), then the last one.
  (func (export "scaleSums") (param $sums i32) (param $count i32) (param $scale f64)
    (local $at i32) (local $end i32) (local $pairs i32) (local $by v128)
    (local.set $at (local.get $sums))
    (local.set $end (i32.add (local.get $sums) (i32.shl (local.get $count) (i32.const 3))))
    (local.set $pairs (i32.add (local.get $sums) (i32.shl (i32.and (local.get $count) (i32.const -2)) (i32.const 3))))
    (local.set $by (f64x2.splat (local.get $scale)))
    (block $paired
      (br_if $paired (i32.ge_u (local.get $at) (local.get $pairs)))
      (loop $next
        (v128.store (local.get $at) (f64x2.mul (v128.load (local.get $at)) (local.get $by)))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br_if $next (i32.lt_u (local.get $at) (local.get $pairs)))))
    (if (i32.lt_u (local.get $at) (local.get $end))
      (then (f64.store (local.get $at) (f64.mul (f64.load (local.get $at)) (local.get $scale))))))

  ;; The m largest sums above 0 among the documents d in [0, count) whose flag
  ;; byte has none of the bits of skip, as a min-heap in keys (f64) and docs
  ;; (i32), root the smallest kept; returns how many. largestSums in
  ;; posting-loops.ts, step for step.
  (func (export "largestSums")
    (param $sums i32) (param $flags i32) (param $skip i32) (param $count i32) (param $m i32) (param $keys i32) (param $docs i32)
    (result i32)
    (local $d i32) (local $size i32) (local $floor f64) (local $s f64) (local $i i32) (local $l i32) (local $c i32) (local $parent i32) (local $at i32)
    ;; $floor in both lanes (zero, as $floor, until the heap is full).
    (local $above v128)
    (block $done
      (br_if $done (i32.ge_u (local.get $d) (local.get $count)))
      (loop $next
        ;; Once the heap is full, most sums are at or below its floor: eight at a time are passed over with one
        ;; branch (the same documents the one-at-a-time test skips), compared two to a vector (f64x2.gt is
        ;; f64.gt lane by lane, NaN never above). Not f64.max, whose NaN and signed-zero rules V8 compiles to
        ;; branches: measured per 85k sums, 244 µs one at a time, 76 with eight scalar compares.
        (block $one
          (br_if $one (i32.gt_u (i32.add (local.get $d) (i32.const 8)) (local.get $count)))
          (local.set $at (i32.add (local.get $sums) (i32.shl (local.get $d) (i32.const 3))))
          (br_if $one (v128.any_true (v128.or
            (v128.or (f64x2.gt (v128.load (local.get $at)) (local.get $above)) (f64x2.gt (v128.load offset=16 (local.get $at)) (local.get $above)))
            (v128.or (f64x2.gt (v128.load offset=32 (local.get $at)) (local.get $above)) (f64x2.gt (v128.load offset=48 (local.get $at)) (local.get $above))))))
          (local.set $d (i32.add (local.get $d) (i32.const 8)))
          (br_if $next (i32.lt_u (local.get $d) (local.get $count)))
          (br $done))
        (local.set $s (f64.load (i32.add (local.get $sums) (i32.shl (local.get $d) (i32.const 3)))))
        (if (i32.and
              (f64.gt (local.get $s) (local.get $floor))
              (i32.eqz (i32.and (i32.load8_u (i32.add (local.get $flags) (local.get $d))) (local.get $skip))))
          (then
            (if (i32.lt_u (local.get $size) (local.get $m))
              (then
                ;; Room left: sift up from the end.
                (local.set $i (local.get $size))
                (local.set $size (i32.add (local.get $size) (i32.const 1)))
                (block $placed
                  (loop $up
                    (br_if $placed (i32.eqz (local.get $i)))
                    (local.set $parent (i32.shr_u (i32.sub (local.get $i) (i32.const 1)) (i32.const 1)))
                    (br_if $placed (i32.eqz (f64.gt (f64.load (i32.add (local.get $keys) (i32.shl (local.get $parent) (i32.const 3)))) (local.get $s))))
                    (f64.store (i32.add (local.get $keys) (i32.shl (local.get $i) (i32.const 3)))
                      (f64.load (i32.add (local.get $keys) (i32.shl (local.get $parent) (i32.const 3)))))
                    (i32.store (i32.add (local.get $docs) (i32.shl (local.get $i) (i32.const 2)))
                      (i32.load (i32.add (local.get $docs) (i32.shl (local.get $parent) (i32.const 2)))))
                    (local.set $i (local.get $parent))
                    (br $up))))
              (else
                ;; Full: the root goes, sift down from it.
                (local.set $i (i32.const 0))
                (block $placed
                  (loop $down
                    (local.set $l (i32.add (i32.shl (local.get $i) (i32.const 1)) (i32.const 1)))
                    (br_if $placed (i32.ge_u (local.get $l) (local.get $size)))
                    (local.set $c (local.get $l))
                    (if (i32.and
                          (i32.lt_u (i32.add (local.get $l) (i32.const 1)) (local.get $size))
                          (f64.lt (f64.load (i32.add (local.get $keys) (i32.shl (i32.add (local.get $l) (i32.const 1)) (i32.const 3))))
                                  (f64.load (i32.add (local.get $keys) (i32.shl (local.get $l) (i32.const 3))))))
                      (then (local.set $c (i32.add (local.get $l) (i32.const 1)))))
                    (br_if $placed (f64.ge (f64.load (i32.add (local.get $keys) (i32.shl (local.get $c) (i32.const 3)))) (local.get $s)))
                    (f64.store (i32.add (local.get $keys) (i32.shl (local.get $i) (i32.const 3)))
                      (f64.load (i32.add (local.get $keys) (i32.shl (local.get $c) (i32.const 3)))))
                    (i32.store (i32.add (local.get $docs) (i32.shl (local.get $i) (i32.const 2)))
                      (i32.load (i32.add (local.get $docs) (i32.shl (local.get $c) (i32.const 2)))))
                    (local.set $i (local.get $c))
                    (br $down)))))
            (f64.store (i32.add (local.get $keys) (i32.shl (local.get $i) (i32.const 3))) (local.get $s))
            (i32.store (i32.add (local.get $docs) (i32.shl (local.get $i) (i32.const 2))) (local.get $d))
            (if (i32.eq (local.get $size) (local.get $m))
              (then
                (local.set $floor (f64.load (local.get $keys)))
                (local.set $above (f64x2.splat (local.get $floor)))))))
        (local.set $d (i32.add (local.get $d) (i32.const 1)))
        (br_if $next (i32.lt_u (local.get $d) (local.get $count))))
    )
    (local.get $size))
)
