// Command baseline is the load harness's yardstick: a bare net/http server
// answering the seed route with fixed bytes, doing no work at all. The mock
// is measured as a ratio of it, in the same run, on the same machine.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
)

// answer is the mock's valid-code body, byte for byte in size and shape.
const answer = `{"data":{"valid":true,"device_id":"123","verification_type":"backup_code","session_mfa_not_after":"2026-11-25T12:15:00Z"},"errors":null}`

var readBody bool

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	flag.BoolVar(&readBody, "read-body", false, "read the request body, as any real handler does")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("listening http://%s\n", ln.Addr())
	length := strconv.Itoa(len(answer))
	body := []byte(answer)
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if readBody {
			io.Copy(io.Discard, r.Body)
		}
		h := w.Header()
		h["Content-Type"] = []string{"application/json"}
		h["Content-Length"] = []string{length}
		w.WriteHeader(http.StatusOK)
		w.Write(body)
	})
	if err := http.Serve(ln, mux); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
