// Command kubecheck validates rendered Kubernetes manifests offline, without
// a cluster: every document must decode strictly (no unknown or duplicate
// fields, right types) into the Go type of its apiVersion/kind, and names,
// labels and port names must be valid Kubernetes identifiers.
//
// scripts/check-deploy.sh runs it on `helm template` output, because
// kubeconform needs schemas fetched from the internet and
// `helm template --validate` needs a live API server.
//
//	kubecheck FILE...   (or - for standard input)
package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	kjson "k8s.io/apimachinery/pkg/runtime/serializer/json"
	"k8s.io/apimachinery/pkg/util/validation"
	kyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: kubecheck FILE... (- for standard input)")
		os.Exit(2)
	}
	dec, err := newDecoder()
	if err != nil {
		fmt.Fprintln(os.Stderr, "kubecheck:", err)
		os.Exit(2)
	}
	failed := false
	for _, path := range os.Args[1:] {
		n, errs := checkFile(dec, path)
		for _, e := range errs {
			fmt.Fprintf(os.Stderr, "kubecheck: %s: %v\n", path, e)
		}
		if len(errs) > 0 {
			failed = true
			continue
		}
		fmt.Printf("kubecheck: %s: %d objects valid\n", path, n)
	}
	if failed {
		os.Exit(1)
	}
}

// newDecoder knows the built-in API groups a chart of ours may render.
func newDecoder() (runtime.Decoder, error) {
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{
		corev1.AddToScheme, appsv1.AddToScheme, policyv1.AddToScheme, networkingv1.AddToScheme,
		autoscalingv2.AddToScheme, batchv1.AddToScheme, rbacv1.AddToScheme,
	} {
		if err := add(scheme); err != nil {
			return nil, fmt.Errorf("build scheme: %w", err)
		}
	}
	return kjson.NewSerializerWithOptions(kjson.DefaultMetaFactory, scheme, scheme,
		kjson.SerializerOptions{Yaml: true, Strict: true}), nil
}

func checkFile(dec runtime.Decoder, path string) (int, []error) {
	var in io.Reader = os.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return 0, []error{err}
		}
		defer f.Close()
		in = f
	}
	r := kyaml.NewYAMLReader(bufio.NewReader(in))
	var errs []error
	n := 0
	for i := 1; ; i++ {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return n, append(errs, fmt.Errorf("document %d: read: %w", i, err))
		}
		if isEmpty(doc) {
			continue
		}
		n++
		if err := checkDoc(dec, doc); err != nil {
			errs = append(errs, fmt.Errorf("document %d: %w", i, err))
		}
	}
	if n == 0 {
		errs = append(errs, errors.New("no objects"))
	}
	return n, errs
}

// isEmpty is true for documents holding only comments or whitespace, which
// helm emits for templates whose condition is off.
func isEmpty(doc []byte) bool {
	var v any
	return yaml.Unmarshal(doc, &v) == nil && v == nil
}

func checkDoc(dec runtime.Decoder, doc []byte) error {
	var tm struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
	}
	if err := yaml.Unmarshal(doc, &tm); err != nil {
		return fmt.Errorf("parse: %w", err)
	}
	if tm.APIVersion == "" || tm.Kind == "" {
		return errors.New("apiVersion and kind are required")
	}
	gv, err := schema.ParseGroupVersion(tm.APIVersion)
	if err != nil {
		return fmt.Errorf("apiVersion %q: %w", tm.APIVersion, err)
	}
	obj, _, err := dec.Decode(doc, nil, nil)
	if err != nil {
		return fmt.Errorf("%s %s: %w", tm.APIVersion, tm.Kind, err)
	}
	m, err := meta.Accessor(obj)
	if err != nil {
		return fmt.Errorf("%s: %w", tm.Kind, err)
	}
	id := fmt.Sprintf("%s/%s", gv.WithKind(tm.Kind).GroupKind(), m.GetName())
	var problems []string
	problems = append(problems, nameProblems(tm.Kind, m.GetName())...)
	problems = append(problems, labelProblems("metadata.labels", m.GetLabels())...)
	problems = append(problems, objectProblems(obj)...)
	if len(problems) > 0 {
		return fmt.Errorf("%s: %s", id, strings.Join(problems, "; "))
	}
	return nil
}

func nameProblems(kind, name string) []string {
	if name == "" {
		return []string{"metadata.name is empty"}
	}
	check := validation.IsDNS1123Subdomain
	if kind == "Service" {
		// Service names become DNS labels.
		check = validation.IsDNS1035Label
	}
	return prefixed("metadata.name "+name, check(name))
}

func labelProblems(where string, labels map[string]string) []string {
	var out []string
	for k, v := range labels {
		out = append(out, prefixed(where+" key "+k, validation.IsQualifiedName(k))...)
		out = append(out, prefixed(where+" "+k+"="+v, validation.IsValidLabelValue(v))...)
	}
	return out
}

func prefixed(where string, msgs []string) []string {
	out := make([]string, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, where+": "+m)
	}
	return out
}

// objectProblems checks what strict decoding cannot: the rules the API
// server would apply first to the kinds we render.
func objectProblems(obj runtime.Object) []string {
	switch o := obj.(type) {
	case *appsv1.Deployment:
		var out []string
		if o.Spec.Selector == nil || len(o.Spec.Selector.MatchLabels) == 0 {
			out = append(out, "spec.selector.matchLabels is empty")
		} else {
			for k, v := range o.Spec.Selector.MatchLabels {
				if o.Spec.Template.Labels[k] != v {
					out = append(out, fmt.Sprintf("selector %s=%s does not match the pod template labels", k, v))
				}
			}
		}
		out = append(out, labelProblems("spec.template.metadata.labels", o.Spec.Template.Labels)...)
		return append(out, podProblems(o.Spec.Template.Spec)...)
	case *corev1.Service:
		var out []string
		for _, p := range o.Spec.Ports {
			if p.Port < 1 || p.Port > 65535 {
				out = append(out, fmt.Sprintf("port %d out of range", p.Port))
			}
			if p.Name != "" {
				out = append(out, prefixed("port name "+p.Name, validation.IsValidPortName(p.Name))...)
			}
		}
		return out
	case *policyv1.PodDisruptionBudget:
		if o.Spec.MinAvailable != nil && o.Spec.MaxUnavailable != nil {
			return []string{"minAvailable and maxUnavailable are mutually exclusive"}
		}
		if o.Spec.MinAvailable == nil && o.Spec.MaxUnavailable == nil {
			return []string{"one of minAvailable and maxUnavailable is required"}
		}
	}
	return nil
}

func podProblems(spec corev1.PodSpec) []string {
	var out []string
	if len(spec.Containers) == 0 {
		out = append(out, "pod has no containers")
	}
	volumes := map[string]bool{}
	for _, v := range spec.Volumes {
		volumes[v.Name] = true
	}
	for _, c := range spec.Containers {
		if c.Image == "" {
			out = append(out, "container "+c.Name+": image is empty")
		}
		ports := map[string]bool{}
		for _, p := range c.Ports {
			if p.Name != "" {
				ports[p.Name] = true
				out = append(out, prefixed("container "+c.Name+" port name "+p.Name, validation.IsValidPortName(p.Name))...)
			}
		}
		for _, pr := range []struct {
			name  string
			probe *corev1.Probe
		}{{"startupProbe", c.StartupProbe}, {"livenessProbe", c.LivenessProbe}, {"readinessProbe", c.ReadinessProbe}} {
			if pr.probe == nil || pr.probe.HTTPGet == nil {
				continue
			}
			if p := pr.probe.HTTPGet.Port; p.StrVal != "" && !ports[p.StrVal] {
				out = append(out, fmt.Sprintf("container %s %s: named port %q is not declared", c.Name, pr.name, p.StrVal))
			}
		}
		for _, m := range c.VolumeMounts {
			if !volumes[m.Name] {
				out = append(out, fmt.Sprintf("container %s: volumeMount %q has no volume", c.Name, m.Name))
			}
		}
		seen := map[string]bool{}
		for _, e := range c.Env {
			if seen[e.Name] {
				out = append(out, fmt.Sprintf("container %s: env %s set twice", c.Name, e.Name))
			}
			seen[e.Name] = true
		}
	}
	return out
}
