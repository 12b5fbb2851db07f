package dev.anomalystream.dashboard;

/**
 * One detection row as browsers receive it: its place in the stream ({@code sequence}, which the
 * SSE id carries) and the compact JSON of the fields the page draws.
 */
record RowEvent(long sequence, String json) {}
