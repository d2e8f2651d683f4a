package cli

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"text/template"

	"github.com/arklow/arklow-mock/internal/config"
	"github.com/arklow/arklow-mock/internal/diag"
)

// The starter set: the data folders a Program's Starter holds, in the
// order of Config's Spec, Fixtures and Scenarios.
var starterParts = []string{"spec", "fixtures", "scenarios"}

// starterCompose is the docker-compose.yml that init writes beside the
// starter set: the released image with the folders mounted.
//
//go:embed starter-compose.yml
var starterCompose string

var composeTemplate = template.Must(template.New("docker-compose.yml").Option("missingkey=error").Parse(starterCompose))

// imageRepository is where the release images are published.
const imageRepository = "ghcr.io/arklow/arklow-mock"

// releaseVersion matches a released version, v1.2.3 or v1.2.3-rc.1 (the
// image tag drops the v); pseudoVersion matches what `go install
// ...@main` reports, which no image is tagged with.
var (
	releaseVersion = regexp.MustCompile(`^v?([0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?)$`)
	pseudoVersion  = regexp.MustCompile(`[0-9]{14}-[0-9a-f]{12}$`)
)

// imageOf returns the container image of a version: the release's own tag,
// or latest for a build that is not a release (dev, a pseudo-version).
func imageOf(version string) (image string, released bool) {
	if m := releaseVersion.FindStringSubmatch(version); m != nil && !pseudoVersion.MatchString(version) {
		return imageRepository + ":" + m[1], true
	}
	return imageRepository + ":latest", false
}

// embedded is a copy of (part of) the starter set on disk, for a command
// to read: the loaders read folders, and hot reload has nothing to watch
// in it.
type embedded struct {
	dir   string   // the temporary folder holding the copy
	parts []string // which of starterParts it holds: spec, at least
}

// has reports whether the folder part comes from the binary.
func (e *embedded) has(part string) bool { return e != nil && slices.Contains(e.parts, part) }

// remove deletes the copy (again: it does nothing); a nil *embedded has
// none.
func (e *embedded) remove() {
	if e != nil {
		os.RemoveAll(e.dir)
	}
}

// owns reports whether file is in the copy.
func (e *embedded) owns(file string) bool {
	if e == nil {
		return false
	}
	rel, err := filepath.Rel(e.dir, file)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// display names a file for people: one of the copy is named by its place
// in the starter set, not by the temporary folder.
func (e *embedded) display(file string) string {
	if !e.owns(file) {
		return file
	}
	rel, _ := filepath.Rel(e.dir, file)
	return "(embedded) " + filepath.ToSlash(rel)
}

// useStarter points cfg at the starter set where the current folder has
// no spec/ and none was asked for (--spec, MOCK_SPEC): the spec then comes
// from the binary, and so do fixtures/ and scenarios/, each unless the
// folder has its own or one was asked for. A folder that has fixtures/ or
// scenarios/ but no spec/ is one whose answers were written for the Arklow
// API; they are served, over the embedded document. The copy is removed by
// the caller (emb.remove) once the command is done.
func (p Program) useStarter(cfg config.Config) (_ config.Config, emb *embedded, err error) {
	if p.Starter == nil || cfg.Given["spec"] || !missing(cfg.Spec) {
		return cfg, nil, nil
	}
	paths := map[string]*string{"spec": &cfg.Spec, "fixtures": &cfg.Fixtures, "scenarios": &cfg.Scenarios}
	emb = &embedded{parts: []string{"spec"}}
	for _, part := range starterParts[1:] {
		if !cfg.Given[part] && missing(*paths[part]) {
			emb.parts = append(emb.parts, part)
		}
	}
	if emb.dir, err = os.MkdirTemp("", "arklow-mock-embedded-"); err != nil {
		return cfg, nil, fmt.Errorf("the embedded files: %w", err)
	}
	for _, part := range emb.parts {
		sub, err := fs.Sub(p.Starter, part)
		if err == nil {
			dst := filepath.Join(emb.dir, part)
			if err = os.CopyFS(dst, sub); err == nil {
				*paths[part] = dst
				continue
			}
		}
		emb.remove()
		return cfg, nil, fmt.Errorf("the embedded %s/: %w", part, err)
	}
	return cfg, emb, nil
}

// missing reports whether nothing is at p. Anything else, even a file that
// cannot be read, is the user's, for the loader to report on.
func missing(p string) bool {
	_, err := os.Stat(p)
	return errors.Is(err, fs.ErrNotExist)
}

// note says where the files come from, for the commands that read them.
func (e *embedded) note() string {
	if len(e.parts) == len(starterParts) {
		return "no spec/ here: the spec, fixtures and scenarios embedded in the binary (`arklow-mock init` writes them here, to edit)"
	}
	var own []string
	for _, part := range starterParts {
		if !e.has(part) {
			own = append(own, part+"/")
		}
	}
	return "no spec/ here: the " + strings.Join(e.parts, " and ") + " embedded in the binary, with this folder's " + strings.Join(own, " and ")
}

// explain makes a load error readable where the copy is read: its files
// are named as the binary's, and where the folder's own fixtures/ or
// scenarios/ are read beside embedded ones, it says how they go together.
func (e *embedded) explain(err error) error {
	if e == nil || err == nil {
		return err
	}
	if list, ok := diag.From(err); ok {
		named := make(diag.List, len(list))
		for i, d := range list {
			d.File = e.display(d.File)
			named[i] = d
		}
		err = named.Err()
	}
	switch {
	case e.has("scenarios") && !e.has("fixtures"):
		return fmt.Errorf("%w\n(no spec/ here: the embedded scenarios name the shipped fixtures; with a fixtures/ of your own, write a scenarios/ too: `arklow-mock init NEWDIR` writes a set to start from)", err)
	case !e.has("scenarios"):
		return fmt.Errorf("%w\n(no spec/ here: this folder's files are checked against the Arklow spec embedded in the binary; name another with --spec)", err)
	}
	return err
}

// starterFile is one file init writes, its name relative to the folder.
type starterFile struct {
	name string // slash-separated
	data []byte
}

// starterFiles lists what init writes: the starter set, then the compose
// file that serves it with the released image.
func (p Program) starterFiles() ([]starterFile, error) {
	if p.Starter == nil {
		return nil, errors.New("this build of arklow-mock embeds no starter files (build it from the repository root: go build .)")
	}
	var files []starterFile
	for _, part := range starterParts {
		err := fs.WalkDir(p.Starter, part, func(name string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			data, err := fs.ReadFile(p.Starter, name)
			files = append(files, starterFile{name, data})
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("the embedded %s/: %w", part, err)
		}
	}
	image, released := imageOf(Version())
	note := "The image of this release (" + Version() + "), multi-architecture: linux/amd64 and linux/arm64."
	if !released {
		note = "The newest release: this folder was written by an unreleased build (" + Version() + ")."
	}
	var compose bytes.Buffer
	if err := composeTemplate.Execute(&compose, map[string]string{"Image": image, "ImageNote": note}); err != nil {
		return nil, err
	}
	return append(files, starterFile{"docker-compose.yml", compose.Bytes()}), nil
}

// initFolder writes the starter files into cfg.Dir. It never overwrites:
// when any of them exists (or a folder it needs is a file), it lists them
// and writes nothing.
func (p Program) initFolder(cfg config.Config, stdout io.Writer) error {
	files, err := p.starterFiles()
	if err != nil {
		return fmt.Errorf("init: %w", err)
	}
	dir := cfg.Dir
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return fmt.Errorf("init: %s is not a folder", dir)
	}
	// Every target, then every folder on the way to one, is checked
	// before anything is written.
	var conflicts []string
	seen := map[string]bool{}
	for _, f := range files {
		target := filepath.Join(dir, filepath.FromSlash(f.name))
		if _, err := os.Lstat(target); err == nil {
			conflicts = append(conflicts, target)
		}
		for d := path.Dir(f.name); d != "."; d = path.Dir(d) {
			if seen[d] {
				continue
			}
			seen[d] = true
			if st, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(d))); err == nil && !st.IsDir() {
				conflicts = append(conflicts, filepath.Join(dir, filepath.FromSlash(d))+" (a file where init writes a folder)")
			}
		}
	}
	if len(conflicts) > 0 {
		slices.Sort(conflicts)
		return fmt.Errorf("init: %d file(s) in %s would be overwritten, so nothing was written:\n  %s\n(remove them, or run init in another folder)",
			len(conflicts), dir, strings.Join(conflicts, "\n  "))
	}
	if err := writeAll(dir, files); err != nil {
		return fmt.Errorf("init: %w", err)
	}
	initSummary(stdout, dir, files)
	return nil
}

// writeAll writes the files under dir, creating the folders they need. A
// file that exists by now (made since the check) is not overwritten: the
// write fails, and what was written is removed again.
func writeAll(dir string, files []starterFile) (err error) {
	var made []string // files and folders created, in order
	defer func() {
		if err != nil {
			for _, p := range slices.Backward(made) {
				os.Remove(p)
			}
		}
	}()
	mkdir := func(d string) error {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return nil
		}
		if err := os.Mkdir(d, 0o755); err != nil {
			return err
		}
		made = append(made, d)
		return nil
	}
	var dirs []string
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		dirs = append(dirs, d)
		if filepath.Dir(d) == d || d == "." {
			break
		}
	}
	for _, d := range slices.Backward(dirs) {
		if err := mkdir(d); err != nil {
			return err
		}
	}
	for _, f := range files {
		target := filepath.Join(dir, filepath.FromSlash(f.name))
		parts := strings.Split(path.Dir(f.name), "/")
		for i := range parts {
			if parts[0] == "." {
				break
			}
			if err := mkdir(filepath.Join(dir, filepath.FromSlash(strings.Join(parts[:i+1], "/")))); err != nil {
				return err
			}
		}
		out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return err
		}
		made = append(made, target)
		_, err = out.Write(f.data)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// initSummary says what init wrote and how to serve it.
func initSummary(w io.Writer, dir string, files []starterFile) {
	count := map[string]int{}
	for _, f := range files {
		part, _, _ := strings.Cut(f.name, "/")
		count[part]++
	}
	image, _ := imageOf(Version())
	fmt.Fprintf(w, "arklow-mock init: wrote %d files in %s\n", len(files), dir)
	fmt.Fprintf(w, "  spec/               the Arklow API's OpenAPI document (%d file(s))\n", count["spec"])
	fmt.Fprintf(w, "  fixtures/           one answer per file (%d)\n", count["fixtures"])
	fmt.Fprintf(w, "  scenarios/          which fixture answers, per scenario (%d)\n", count["scenarios"])
	fmt.Fprintf(w, "  docker-compose.yml  the mock from %s, with these folders mounted\n", image)
	cd := ""
	if filepath.Clean(dir) != "." {
		cd = "cd " + dir + " && "
	}
	fmt.Fprintf(w, "next:\n")
	fmt.Fprintf(w, "  %sarklow-mock             serve them on http://127.0.0.1:3123 (from npm: npx @arklow/mock)\n", cd)
	fmt.Fprintf(w, "  %sdocker compose up -d    the same in a container\n", cd)
}
