// The workflows take and return the index's and the domain's types (SearchHit, RISDocument...):
// a client of the workflows needs no other import.
@_exported import RISKit
@_exported import RISStore
